import {
  type Booking,
  type BookingReminderState,
  type BookingRules,
  dayRange,
  maskMobile,
  type StaffBookingsResponse,
} from '@yuyue/contracts'
import { inTransaction, isDuplicateEntry, type Tx } from '../../db/client'
import {
  activeBookingsOfPersonIn,
  bookingsOfPerson,
  bookingsOfSlots,
  cancelBookingRow,
  checkInBookingRow,
  lockBookingWithSlot,
  type SlotSummaryRow,
  slotForBooking,
} from '../../db/queries/bookings'
import { liveSlotsStartingIn } from '../../db/queries/slots'
import type { BookingRow } from '../../db/schema'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import {
  bookingRules,
  checkInOpen,
  DEFAULT_BOOKING_RULES,
  dayOf,
  opensAtOf,
  tooLateToCancel,
} from '../settings/bookingRules'
import { dropMessagesOfCancelled, remindersOf, withReminder } from '../subscriptions/subscriptions'
import { dailyLimitReached, dailyLimitStep } from './dailyLimit'
import { slotPlaces } from './slots'

type Deps = Pick<DomainDeps, 'db' | 'takePlace' | 'now' | 'timeZone'>

export function toBooking(
  row: BookingRow,
  slot: SlotSummaryRow,
  reminder: BookingReminderState = 'none',
): Booking {
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    cancelledBy: row.cancelledBy,
    cancelReason: row.cancelReason,
    reminder,
    slot: {
      id: slot.id,
      startsAt: slot.startsAt.toISOString(),
      endsAt: slot.endsAt.toISOString(),
      title: slot.title,
    },
  }
}

/** Why this slot cannot take a booking by this person now, or null when it can. */
function refusalOf(found: Awaited<ReturnType<typeof slotForBooking>>, now: Date): AppError | null {
  if (!found || found.slot.deletedAt) return new AppError('NOT_FOUND', '时段不存在')
  if (found.myBookingId !== null) return new AppError('ALREADY_BOOKED')
  if (found.slot.startsAt <= now) return new AppError('SLOT_CLOSED')
  if (found.slot.booked >= found.slot.capacity) return new AppError('SLOT_FULL')
  return null
}

/**
 * The admins' rules a new booking must pass (read with the slot): the window (a calendar rule,
 * decided by the clock) and the per-day limit. The limit read here refuses early without a lock;
 * the booking transaction decides it again on a row both bookings write (`dailyLimitStep`).
 */
async function enforceBookingRules(
  deps: Deps,
  rules: BookingRules,
  userId: number,
  startsAt: Date,
  now: Date,
) {
  if (now < opensAtOf(startsAt, rules, deps.timeZone)) throw new AppError('BOOKING_NOT_OPEN')
  if (rules.maxActivePerDay > 0) {
    const held = await activeBookingsOfPersonIn(deps.db, userId, dayOf(startsAt, deps.timeZone))
    if (held >= rules.maxActivePerDay) throw dailyLimitReached(rules.maxActivePerDay)
  }
}

/**
 * Books a place. Capacity is guarded by one conditional UPDATE (`booked < capacity`), which also
 * serialises bookers of the slot on its row; the unique key on (slot, user, active) refuses a
 * second active booking by the same person. Both hold whatever the concurrency, and a refused
 * insert rolls the counter back with it (`takePlace`: one transaction). What
 * can be refused without a lock is refused first. `caller.user` is the row the guard read this
 * request (the route declares `callerRow`), so the phone is checked without another read.
 */
export async function createBooking(
  deps: Deps,
  caller: { userId: number; user: { mobile: string | null } },
  slotId: number,
): Promise<Booking> {
  const { userId } = caller
  const now = deps.now()
  if (!caller.user.mobile) throw new AppError('PHONE_REQUIRED')
  const found = await slotForBooking(deps.db, slotId, userId)
  // a full, closed or missing slot is refused without taking a lock: what a booking storm needs
  const refused = refusalOf(found, now)
  if (refused) throw refused
  const slot = found!.slot
  const rules = found!.rules ?? DEFAULT_BOOKING_RULES
  await enforceBookingRules(deps, rules, userId, slot.startsAt, now)

  try {
    const bookingId = await deps.takePlace(
      { slotId, userId, at: now },
      dailyLimitStep(deps, userId, slot.startsAt, rules.maxActivePerDay),
    )
    // no place taken: nothing was written; why is read after the transaction
    if (bookingId === null)
      throw refusalOf(await slotForBooking(deps.db, slotId, userId), now) ?? new AppError('SLOT_FULL')
    return toBooking(
      {
        id: bookingId,
        slotId,
        userId,
        status: 'booked',
        activeFlag: 1,
        createdAt: now,
        cancelledAt: null,
        checkedInAt: null,
        checkedInBy: null,
        cancelledBy: null,
        cancelReason: null,
      },
      slot,
    )
  } catch (error) {
    if (isDuplicateEntry(error)) throw new AppError('ALREADY_BOOKED')
    throw error
  }
}

/** A booking and its slot, the booking row locked; `ownerId` limits it to that person's bookings. */
async function lockBooking(tx: Tx, bookingId: number, ownerId?: number) {
  const found = await lockBookingWithSlot(tx, bookingId, ownerId)
  if (!found) throw new AppError('NOT_FOUND', '预约不存在')
  if (found.booking.status !== 'booked') throw new AppError('BOOKING_NOT_ACTIVE')
  return found
}

/** Cancels the caller's own booking before its slot starts; another person's is "not found". */
export async function cancelBooking(deps: Deps, userId: number, bookingId: number): Promise<Booking> {
  const now = deps.now()
  const rules = await bookingRules(deps)
  return inTransaction(deps.db, async (tx) => {
    const found = await lockBooking(tx, bookingId, userId)
    if (found.slot.startsAt <= now) throw new AppError('SLOT_CLOSED', '时段已开始,无法取消')
    if (tooLateToCancel(found.slot, rules, now)) {
      throw new AppError('CANCEL_TOO_LATE', `开始前 ${rules.cancelCutoffMinutes} 分钟内不能取消`)
    }
    const cancellation = { at: now, by: 'user' as const, reason: null }
    await cancelBookingRow(tx, { id: bookingId, slotId: found.slot.id }, cancellation)
    await dropMessagesOfCancelled(tx, [bookingId], now)
    return toBooking(
      { ...found.booking, status: 'cancelled', cancelledAt: now, cancelledBy: 'user', cancelReason: null },
      found.slot,
    )
  })
}

/** The caller's bookings: upcoming ones first (soonest first), then past ones (latest first). */
export async function myBookings(deps: Deps, userId: number, page: number, pageSize: number) {
  const { rows, total } = await bookingsOfPerson(deps.db, userId, {
    now: deps.now(),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  })
  const reminderOf = await remindersOf(
    deps.db,
    rows.map((r) => r.booking.id),
  )
  return {
    items: rows.map((r) => toBooking(r.booking, r.slot, reminderOf(r.booking.id).reminder)),
    total,
    page,
    pageSize,
  }
}

/** The staff booking view: every slot of the day in start order, with its bookings. */
export async function staffDay(deps: Deps, date: string): Promise<StaffBookingsResponse> {
  const daySlots = await liveSlotsStartingIn(deps.db, dayRange(date, deps.timeZone))
  const entries = await bookingsOfSlots(
    deps.db,
    daySlots.map((s) => s.id),
  )
  return {
    date,
    slots: daySlots.map((slot) => ({
      slot: slotPlaces(slot),
      bookings: entries
        .filter((e) => e.booking.slotId === slot.id)
        .map(({ booking, nickname, mobile }) => ({
          id: booking.id,
          status: booking.status,
          createdAt: booking.createdAt.toISOString(),
          checkedInAt: booking.checkedInAt?.toISOString() ?? null,
          user: { nickname, phoneMasked: mobile ? maskMobile(mobile) : null },
        })),
    })),
  }
}

/** Why this booking cannot be checked in now (tap or scan), or null when it can. */
export function checkInRefusal(
  found: { booking: Pick<BookingRow, 'status'>; slot: SlotSummaryRow },
  rules: BookingRules,
  now: Date,
): AppError | null {
  if (found.booking.status !== 'booked') return new AppError('BOOKING_NOT_ACTIVE')
  if (!checkInOpen(found.slot, rules, now)) {
    return new AppError('CHECK_IN_NOT_OPEN', `签到时间为开始前 ${rules.checkInOpensMinutesBefore} 分钟至结束`)
  }
  return null
}

/** Staff check a person in: only a `booked` booking, and only inside the check-in window. */
export async function checkIn(
  deps: Deps,
  actor: AuditActor & { id: number },
  bookingId: number,
): Promise<Booking> {
  const now = deps.now()
  const rules = await bookingRules(deps)
  const booking = await inTransaction(deps.db, async (tx) => {
    const found = await lockBooking(tx, bookingId)
    const refused = checkInRefusal(found, rules, now)
    if (refused) throw refused
    await checkInBookingRow(tx, bookingId, now, actor.id)
    await writeAudit(tx, {
      actor,
      action: 'booking.checkIn',
      target: `booking:${bookingId}`,
      detail: { slotId: found.slot.id, userId: found.booking.userId },
    })
    return toBooking(
      { ...found.booking, status: 'checked_in', checkedInAt: now, checkedInBy: actor.id },
      found.slot,
    )
  })
  return withReminder(deps, booking)
}
