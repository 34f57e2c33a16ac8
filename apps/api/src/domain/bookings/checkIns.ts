import {
  type Booking,
  CHECK_IN_CODE_TTL_SECONDS,
  CHECK_IN_UNDO_MINUTES,
  type CheckInCodeResponse,
  maskMobile,
  type ScanCheckInResponse,
} from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import { lockBookingWithSlot } from '../../db/queries/bookings'
import { bookingWithSlotAndPerson, undoCheckInRow } from '../../db/queries/checkIns'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { bookingRules } from '../settings/bookingRules'
import { withReminder } from '../subscriptions/subscriptions'
import { checkIn, checkInRefusal, toBooking } from './bookings'
import { readCheckInCode, signCheckInCode } from './checkInCode'

type Deps = Pick<DomainDeps, 'db' | 'takePlace' | 'now' | 'timeZone' | 'checkInCodeKey'>

/**
 * The person's 预约码: a fresh code on every call, good for 90 s and never past the slot's end,
 * so a screenshot soon stops working and no code outlives its slot.
 */
export async function bookingCode(
  deps: Deps,
  userId: number,
  bookingId: number,
): Promise<CheckInCodeResponse> {
  const found = await bookingWithSlotAndPerson(deps.db, bookingId)
  if (!found || found.booking.userId !== userId) throw new AppError('NOT_FOUND', '预约不存在')
  if (found.booking.status !== 'booked') throw new AppError('BOOKING_NOT_ACTIVE')
  const now = deps.now()
  if (found.slot.endsAt <= now) throw new AppError('BOOKING_NOT_ACTIVE', '该预约的时段已结束')
  const expiresAt = new Date(
    Math.floor(
      Math.min(now.getTime() + CHECK_IN_CODE_TTL_SECONDS * 1000, found.slot.endsAt.getTime()) / 1000,
    ) * 1000,
  )
  return {
    code: signCheckInCode(deps.checkInCodeKey, bookingId, expiresAt),
    expiresAt: expiresAt.toISOString(),
  }
}

/**
 * Staff scanned a 预约码. A dry run shows who and which slot, refused exactly as the check-in
 * would be, and writes nothing; otherwise the booking is checked in as by a tap.
 */
export async function scanCheckIn(
  deps: Deps,
  actor: AuditActor & { id: number },
  scan: { code: string; dryRun?: boolean },
): Promise<ScanCheckInResponse> {
  const read = readCheckInCode(deps.checkInCodeKey, scan.code, deps.now())
  if (!read) throw new AppError('CHECK_IN_CODE_INVALID')
  const found = await bookingWithSlotAndPerson(deps.db, read.bookingId)
  if (!found) throw new AppError('CHECK_IN_CODE_INVALID')
  let booking: Booking
  if (scan.dryRun) {
    const refused = checkInRefusal(found, await bookingRules(deps), deps.now())
    if (refused) throw refused
    booking = await withReminder(deps, toBooking(found.booking, found.slot))
  } else {
    booking = await checkIn(deps, actor, read.bookingId)
  }
  const { nickname, mobile } = found.person
  return {
    booking,
    user: { nickname, phoneMasked: mobile ? maskMobile(mobile) : null },
    slot: booking.slot,
  }
}

/** A check-in taken back within CHECK_IN_UNDO_MINUTES (a wrong person, a wrong tap); audited like it. */
export async function undoCheckIn(
  deps: Deps,
  actor: AuditActor & { id: number },
  bookingId: number,
): Promise<Booking> {
  const now = deps.now()
  const booking = await inTransaction(deps.db, async (tx) => {
    const found = await lockBookingWithSlot(tx, bookingId)
    if (!found) throw new AppError('NOT_FOUND', '预约不存在')
    const { checkedInAt } = found.booking
    if (found.booking.status !== 'checked_in' || !checkedInAt)
      throw new AppError('BOOKING_NOT_ACTIVE', '该预约未签到,无需撤销')
    if (now.getTime() - checkedInAt.getTime() > CHECK_IN_UNDO_MINUTES * 60_000)
      throw new AppError('UNDO_TOO_LATE')
    await undoCheckInRow(tx, bookingId)
    await writeAudit(tx, {
      actor,
      action: 'booking.undoCheckIn',
      target: `booking:${bookingId}`,
      detail: { slotId: found.slot.id, userId: found.booking.userId, checkedInAt: checkedInAt.toISOString() },
    })
    return toBooking({ ...found.booking, status: 'booked', checkedInAt: null, checkedInBy: null }, found.slot)
  })
  return withReminder(deps, booking)
}
