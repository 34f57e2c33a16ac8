import type { Booking, SlotView, SubscribeKindName } from '@yuyue/contracts'
import { api, platform } from '@/services'
import { askForSubscriptions, kindsForBooking } from './subscriptions'

/**
 * The booking tap's subscribe sheet, opened at once (SPEC §6b: before any await): call it first in
 * the tap. Resolves the kinds accepted.
 */
export function askAtBooking(slot: Pick<SlotView, 'startsAt'>): Promise<SubscribeKindName[]> {
  return askForSubscriptions(platform, kindsForBooking(slot.startsAt, Date.now()))
}

/** Tells the API what was accepted for a booking just made; a failure leaves the booking as it is. */
export async function reportAccepted(bookingId: number, accepted: SubscribeKindName[]): Promise<void> {
  if (accepted.length === 0) return
  await api.subscribe(bookingId, accepted).catch(() => undefined)
}

/** 设置提醒 on a booking without one: the sheet from the tap itself, then the API. */
export function setReminder(booking: Booking, reload: () => Promise<void>): Promise<void> {
  return askForSubscriptions(platform, ['reminder', 'cancelled']).then(async (accepted) => {
    if (!accepted.includes('reminder')) {
      platform.showToast('未开启提醒')
      return
    }
    try {
      await api.subscribe(booking.id, accepted)
      platform.showToast('已设提醒', 'success')
    } catch {
      platform.showToast('设置提醒失败，请重试')
    }
    await reload()
  })
}
