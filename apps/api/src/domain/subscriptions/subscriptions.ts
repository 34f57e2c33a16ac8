import type { Booking, BookingReminderState } from '@yuyue/contracts'
import type { Database, Tx } from '../../db/client'
import {
  bookingOfPerson,
  cancelOwedMessages,
  identityAddress,
  type OwedMessage,
  recordOwedMessages,
  releaseCancelNotices,
  reminderStatesOf,
} from '../../db/queries/subscribeDeliveries'
import type { SubscribeDeliveryRow } from '../../db/schema'
import { AppError } from '../../errors'
import type { SubscribeKind } from '../../wechat/subscribeTemplates'
import { toBooking } from '../bookings/bookings'
import type { Deps as DomainDeps } from '../deps'

type Deps = Pick<DomainDeps, 'db' | 'now' | 'subscribeTemplates' | 'reminderLeadMinutes'>

/** A slot starting sooner than this after the booking gets no reminder: the person is on the way. */
export const NO_REMINDER_WITHIN_MS = 10 * 60_000

/**
 * When a reminder accepted at `now` falls due: the lead time before the start, at once when that
 * has passed, none (null) when the slot starts within 10 minutes.
 */
export function reminderDueAt(startsAt: Date, now: Date, leadMinutes: number): Date | null {
  if (startsAt.getTime() - now.getTime() < NO_REMINDER_WITHIN_MS) return null
  const due = new Date(startsAt.getTime() - leadMinutes * 60_000)
  return due < now ? now : due
}

/** A reminder row's state as the booking shows it; a cancelled reminder is no reminder. */
export function reminderOf(state: SubscribeDeliveryRow['state'] | undefined): BookingReminderState {
  switch (state) {
    case 'pending':
    case 'sending':
      return 'pending'
    case 'sent':
    case 'failed':
    case 'unknown':
      return state
    default:
      return 'none'
  }
}

/** The reminder state of each of these bookings (`none` when it has none). */
export async function remindersOf(db: Database, bookingIds: number[]) {
  const states = await reminderStatesOf(db, bookingIds)
  return (bookingId: number) => {
    const found = states.get(bookingId)
    return {
      reminder: reminderOf(found?.state),
      errcode: found?.state === 'failed' ? found.lastErrcode : null,
    }
  }
}

/** A booking answered outside the person's own list carries its reminder's state too (SPEC §4). */
export async function withReminder(deps: Pick<Deps, 'db'>, booking: Booking): Promise<Booking> {
  const reminderOf = await remindersOf(deps.db, [booking.id])
  return { ...booking, reminder: reminderOf(booking.id).reminder }
}

/**
 * `POST /api/bookings/:id/subscriptions`: what the person accepted in `wx.requestSubscribeMessage`
 * for their booking. Each accept allows one message, to the WeChat identity that tapped: a
 * `reminder` falls due before the slot, a `cancelled` is held until an admin cancels. Kinds not
 * configured (WECHAT_TEMPLATES) are ignored, and so is a booking no longer `booked`.
 */
export async function recordSubscriptions(
  deps: Deps,
  caller: { userId: number; identityId: number },
  bookingId: number,
  accepted: readonly SubscribeKind[],
): Promise<Booking> {
  const found = await bookingOfPerson(deps.db, bookingId, caller.userId)
  if (!found) throw new AppError('NOT_FOUND', '预约不存在')
  const now = deps.now()
  const owed: OwedMessage[] = []
  if (found.booking.status === 'booked') {
    const address = await identityAddress(deps.db, caller.identityId)
    for (const kind of new Set(accepted)) {
      const templateId = deps.subscribeTemplates[kind]
      if (!templateId || !address) continue
      const dueAt =
        kind === 'reminder' ? reminderDueAt(found.slot.startsAt, now, deps.reminderLeadMinutes) : null
      if (kind === 'reminder' && dueAt === null) continue
      owed.push({ bookingId, kind, templateId, appId: address.appId, openid: address.openid, dueAt })
    }
  }
  await recordOwedMessages(deps.db, owed)
  // read again: a cancel may have committed while the accept was being recorded
  const current =
    owed.length > 0 ? ((await bookingOfPerson(deps.db, bookingId, caller.userId)) ?? found) : found
  return withReminder(deps, toBooking(current.booking, current.slot))
}

/** The person cancelled: nothing owed for these bookings is sent (an accept left unspent). */
export function dropMessagesOfCancelled(tx: Tx, bookingIds: number[], at: Date): Promise<void> {
  return cancelOwedMessages(tx, bookingIds, ['reminder', 'cancelled'], at)
}

/**
 * An admin cancelled these bookings (one, or a withdrawn slot's): in the cancel's transaction,
 * their reminders are dropped and the notices their people accepted fall due.
 */
export async function noticeAdminCancel(tx: Tx, bookingIds: number[], at: Date): Promise<void> {
  await cancelOwedMessages(tx, bookingIds, ['reminder'], at)
  await releaseCancelNotices(tx, bookingIds, at)
}
