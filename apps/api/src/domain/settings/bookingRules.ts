import { addDays, type BookingRules, dayRange, localDate, zonedToUtc } from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import { storeBookingRules, storedBookingRules } from '../../db/queries/bookingSettings'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'

type Deps = Pick<DomainDeps, 'db' | 'now' | 'timeZone'>

/** SPEC §4's defaults, in force until an admin saves the settings. */
export const DEFAULT_BOOKING_RULES: BookingRules = {
  bookingWindowDays: 7,
  cancelCutoffMinutes: 0,
  maxActivePerDay: 0,
  checkInOpensMinutesBefore: 30,
}

/**
 * The rules in force, read from the database on every use: one primary-key read, and no instance
 * can enforce a rule another instance's admin has already changed.
 */
export async function bookingRules(deps: Pick<Deps, 'db'>): Promise<BookingRules> {
  return (await storedBookingRules(deps.db)) ?? DEFAULT_BOOKING_RULES
}

export async function saveBookingRules(
  deps: Deps,
  actor: AuditActor,
  rules: BookingRules,
): Promise<BookingRules> {
  await inTransaction(deps.db, async (tx) => {
    const before = (await storedBookingRules(tx)) ?? DEFAULT_BOOKING_RULES
    await storeBookingRules(tx, rules, deps.now())
    await writeAudit(tx, {
      actor,
      action: 'settings.update',
      target: 'settings',
      detail: { before, after: rules },
    })
  })
  return rules
}

/**
 * When a slot opens for booking: 00:00 of the day `bookingWindowDays` before the slot's day, in
 * the venue's zone (SPEC §4: with 7, a slot opens at 00:00 seven days before its day).
 */
export function opensAtOf(startsAt: Date, rules: BookingRules, timeZone: string): Date {
  const day = localDate(startsAt, timeZone)
  return zonedToUtc(addDays(day, -rules.bookingWindowDays), '00:00', timeZone)
}

/** The instants of the slot's local day, for the per-day limit. */
export function dayOf(startsAt: Date, timeZone: string) {
  return dayRange(localDate(startsAt, timeZone), timeZone)
}

/** Whether a check-in now falls in the window: from the opening minutes before start to the end. */
export function checkInOpen(slot: { startsAt: Date; endsAt: Date }, rules: BookingRules, now: Date): boolean {
  const opens = slot.startsAt.getTime() - rules.checkInOpensMinutesBefore * 60_000
  return now.getTime() >= opens && now < slot.endsAt
}

/** Whether a cancellation now is within the cutoff before the slot's start. */
export function tooLateToCancel(slot: { startsAt: Date }, rules: BookingRules, now: Date): boolean {
  return now.getTime() > slot.startsAt.getTime() - rules.cancelCutoffMinutes * 60_000
}
