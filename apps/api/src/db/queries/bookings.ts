import type { BookingRules } from '@yuyue/contracts'
import { and, asc, count, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import type { RowDataPacket } from 'mysql2'
import { type Database, poolOf, type Tx } from '../client'
import { type BookingRow, bookings, type SlotRow, slots, users } from '../schema'
import { SETTINGS_ROW } from './bookingSettings'

export type SlotSummaryRow = Pick<SlotRow, 'id' | 'startsAt' | 'endsAt' | 'title'>

const slotSummary = { id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, title: slots.title }
const isActive = sql`${bookings.activeFlag} = 1`

/**
 * A slot with the person's active booking of it and the booking rules in force (undefined before
 * an admin first saved them), read without locks in one round trip: what a booking is decided on.
 * Sent by mysql2 as a statement the server prepared once per connection: a storm's every request
 * reads it, and drizzle's execute path and the server's parse of the text cost more than the read
 * (docs/performance.md). A test holds the row equal to drizzle's `select()` of the slot.
 */
const SLOT_FOR_BOOKING = `SELECT s.id, s.starts_at, s.ends_at, s.title, s.capacity, s.booked, s.created_at,
    s.deleted_at, b.id AS my_booking_id, r.booking_window_days, r.cancel_cutoff_minutes,
    r.max_active_per_day, r.check_in_opens_minutes_before
  FROM slots s
  LEFT JOIN bookings b ON b.slot_id = s.id AND b.user_id = ? AND b.active_flag = 1
  LEFT JOIN booking_settings r ON r.id = ${SETTINGS_ROW}
  WHERE s.id = ? LIMIT 1`

export async function slotForBooking(
  db: Database,
  slotId: number,
  userId: number,
): Promise<{ slot: SlotRow; myBookingId: number | null; rules: BookingRules | undefined } | undefined> {
  const [[row]] = await poolOf(db).execute<RowDataPacket[]>(SLOT_FOR_BOOKING, [userId, slotId])
  if (!row) return undefined
  return {
    slot: {
      id: row.id,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      title: row.title,
      capacity: row.capacity,
      booked: row.booked,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
    },
    myBookingId: row.my_booking_id,
    rules:
      row.booking_window_days === null
        ? undefined
        : {
            bookingWindowDays: row.booking_window_days,
            cancelCutoffMinutes: row.cancel_cutoff_minutes,
            maxActivePerDay: row.max_active_per_day,
            checkInOpensMinutesBefore: row.check_in_opens_minutes_before,
          },
  }
}

/** A booking and its slot, the booking row locked; `ownerId` limits it to that person's bookings. */
export async function lockBookingWithSlot(
  tx: Tx,
  bookingId: number,
  ownerId?: number,
): Promise<{ booking: BookingRow; slot: SlotSummaryRow } | undefined> {
  const [found] = await tx
    .select({ booking: bookings, slot: slotSummary })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(bookings.id, bookingId), ownerId === undefined ? undefined : eq(bookings.userId, ownerId)))
    .for('update')
  return found
}

/** Who cancelled and why: the person sees it in 我的预约. */
export interface Cancellation {
  at: Date
  by: 'user' | 'admin'
  reason: string | null
}

/** The booking cancelled and its place given back to the slot. */
export async function cancelBookingRow(
  tx: Tx,
  booking: { id: number; slotId: number },
  cancellation: Cancellation,
): Promise<void> {
  await tx
    .update(bookings)
    .set({
      status: 'cancelled',
      cancelledAt: cancellation.at,
      cancelledBy: cancellation.by,
      cancelReason: cancellation.reason,
    })
    .where(eq(bookings.id, booking.id))
  await tx
    .update(slots)
    .set({ booked: sql`${slots.booked} - 1` })
    .where(and(eq(slots.id, booking.slotId), sql`${slots.booked} > 0`))
}

export async function checkInBookingRow(tx: Tx, bookingId: number, at: Date, staffId: number): Promise<void> {
  await tx
    .update(bookings)
    .set({ status: 'checked_in', checkedInAt: at, checkedInBy: staffId })
    .where(eq(bookings.id, bookingId))
}

/** A person's bookings: upcoming ones first (soonest first), then past ones (latest first). */
export async function bookingsOfPerson(
  db: Database,
  userId: number,
  page: { now: Date; limit: number; offset: number },
) {
  const { now } = page
  const [rows, [total]] = await Promise.all([
    db
      .select({ booking: bookings, slot: slotSummary })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .where(eq(bookings.userId, userId))
      .orderBy(
        sql`${slots.endsAt} < ${now}`,
        sql`CASE WHEN ${slots.endsAt} >= ${now} THEN ${slots.startsAt} END ASC`,
        sql`${slots.startsAt} DESC`,
        sql`${bookings.id} DESC`,
      )
      .limit(page.limit)
      .offset(page.offset),
    db.select({ value: count() }).from(bookings).where(eq(bookings.userId, userId)),
  ])
  return { rows, total: total?.value ?? 0 }
}

/** The bookings of these slots with who holds them, oldest first. */
export function bookingsOfSlots(db: Database, slotIds: number[]) {
  if (slotIds.length === 0) return Promise.resolve([])
  return db
    .select({ booking: bookings, nickname: users.nickname, mobile: users.mobile })
    .from(bookings)
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(inArray(bookings.slotId, slotIds))
    .orderBy(asc(bookings.id))
}

/** How many active bookings the person holds in slots starting in [start, end). */
export async function activeBookingsOfPersonIn(
  db: Database | Tx,
  userId: number,
  range: { start: Date; end: Date },
): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(
      and(
        eq(bookings.userId, userId),
        isActive,
        gte(slots.startsAt, range.start),
        lt(slots.startsAt, range.end),
      ),
    )
  return row?.value ?? 0
}
