import {
  type AdminBooking,
  type AdminBookingsQuery,
  type BookingReminderState,
  dayRange,
  daysBetween,
  isRealDate,
} from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import {
  type AdminBookingRow,
  adminBookingById,
  adminBookingsPage,
  type BookingFilters,
} from '../../db/queries/adminBookings'
import { cancelBookingRow, lockBookingWithSlot } from '../../db/queries/bookings'
import { searchPeoplePage } from '../../db/queries/peopleSearch'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { noticeAdminCancel, remindersOf } from '../subscriptions/subscriptions'
import { searchFor } from '../users/adminUsers'
import { toBooking } from './bookings'

type Deps = Pick<DomainDeps, 'db' | 'now' | 'timeZone'>

/** How many people a `q` may stand for in the booking list: the users search's first page of them. */
export const PEOPLE_PER_BOOKING_SEARCH = 1000

export function toAdminBooking(
  row: AdminBookingRow,
  reminderOf: (bookingId: number) => { reminder: BookingReminderState; errcode: number | null } = () => ({
    reminder: 'none',
    errcode: null,
  }),
): AdminBooking {
  const { reminder, errcode } = reminderOf(row.booking.id)
  const { id, status, createdAt, checkedInAt, cancelledBy, cancelReason, slot } = toBooking(
    row.booking,
    row.slot,
  )
  return {
    id,
    status,
    createdAt,
    checkedInAt,
    cancelledBy,
    cancelReason,
    reminder,
    reminderErrcode: errcode,
    slot,
    user: row.user,
  }
}

/** The instants of the local days [from, to]; one day when only one end is given. */
export function localDaysRange(deps: Pick<Deps, 'timeZone'>, from: string, to: string, maxDays: number) {
  if (!isRealDate(from) || !isRealDate(to)) throw new AppError('VALIDATION_FAILED', '日期不存在')
  const days = daysBetween(from, to)
  if (days < 0) throw new AppError('VALIDATION_FAILED', '结束日期不能早于开始日期')
  if (days >= maxDays) throw new AppError('VALIDATION_FAILED', `日期范围最多 ${maxDays} 天`)
  return { start: dayRange(from, deps.timeZone).start, end: dayRange(to, deps.timeZone).end }
}

/**
 * The dashboard's bookings: by day range, slot, person, status, or `q` as the users search reads
 * it (the people it matches, at most its first PEOPLE_PER_BOOKING_SEARCH).
 */
export async function listAdminBookings(
  deps: Deps,
  query: AdminBookingsQuery & { page: number; pageSize: number },
) {
  const filters: BookingFilters = { slotId: query.slotId, userId: query.userId, status: query.status }
  const from = query.from ?? query.to
  const to = query.to ?? query.from
  if (from !== undefined && to !== undefined) filters.range = localDaysRange(deps, from, to, 100_000)
  const q = query.q?.trim()
  if (q) {
    const people = await searchPeoplePage(deps.db, searchFor(q, {}), {
      limit: PEOPLE_PER_BOOKING_SEARCH,
      offset: 0,
    })
    filters.userIds = people.rows.map((p) => p.id)
  }
  const { rows, total } = await adminBookingsPage(deps.db, filters, {
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  })
  const reminderOf = await remindersOf(
    deps.db,
    rows.map((r) => r.booking.id),
  )
  return {
    items: rows.map((r) => toAdminBooking(r, reminderOf)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  }
}

/** An admin cancels a person's booking with a reason, which the person reads in 我的预约. */
export async function cancelBookingForAdmin(
  deps: Deps,
  actor: AuditActor,
  bookingId: number,
  reason: string,
): Promise<AdminBooking> {
  const why = reason.trim()
  if (!why) throw new AppError('VALIDATION_FAILED', '请填写取消原因')
  const now = deps.now()
  await inTransaction(deps.db, async (tx) => {
    const found = await lockBookingWithSlot(tx, bookingId)
    if (!found) throw new AppError('NOT_FOUND', '预约不存在')
    if (found.booking.status !== 'booked') throw new AppError('BOOKING_NOT_ACTIVE')
    await cancelBookingRow(
      tx,
      { id: bookingId, slotId: found.slot.id },
      { at: now, by: 'admin', reason: why },
    )
    await noticeAdminCancel(tx, [bookingId], now)
    await writeAudit(tx, {
      actor,
      action: 'booking.cancel',
      target: `booking:${bookingId}`,
      detail: { slotId: found.slot.id, userId: found.booking.userId, reason: why },
    })
  })
  const row = await adminBookingById(deps.db, bookingId)
  return toAdminBooking(row!, await remindersOf(deps.db, [bookingId]))
}
