import type { BookingRules } from '@yuyue/contracts'
import { eq } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { bookingSettings } from '../schema'

export const SETTINGS_ROW = 1

/** The rules' columns, as `storedBookingRules` selects them (the booking's slot read names them too). */
export const storedRulesColumns = {
  bookingWindowDays: bookingSettings.bookingWindowDays,
  cancelCutoffMinutes: bookingSettings.cancelCutoffMinutes,
  maxActivePerDay: bookingSettings.maxActivePerDay,
  checkInOpensMinutesBefore: bookingSettings.checkInOpensMinutesBefore,
}

/** The stored booking rules, or undefined before an admin first saved them. */
export async function storedBookingRules(db: Database | Tx): Promise<BookingRules | undefined> {
  const [row] = await db
    .select(storedRulesColumns)
    .from(bookingSettings)
    .where(eq(bookingSettings.id, SETTINGS_ROW))
  return row
}

/** Stores the booking rules (the one row, created on the first save). */
export async function storeBookingRules(tx: Tx, rules: BookingRules, at: Date): Promise<void> {
  await tx
    .insert(bookingSettings)
    .values({ id: SETTINGS_ROW, ...rules, updatedAt: at })
    .onDuplicateKeyUpdate({ set: { ...rules, updatedAt: at } })
}
