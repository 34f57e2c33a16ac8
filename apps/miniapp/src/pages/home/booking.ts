import type { SlotView, SubscribeKindName } from '@yuyue/contracts'
import { askForPhone } from '@/privacy/askForPhone'
import { api, platform } from '@/services'
import { alreadyShown, describeError, isApiError } from '@/services/apiError'
import { askAtBooking, reportAccepted } from '@/services/reminders'
import { slotWhen } from '@/utils/venueTime'

/**
 * Books a slot; the phone is asked for first when the person has none (never earlier). With a
 * phone, the tap first opens WeChat's subscribe sheet (it works only synchronously in the tap,
 * SPEC §6b), then confirms and books; what was accepted is reported once the booking exists.
 */
export async function bookSlot(
  slot: SlotView,
  hasPhone: boolean,
  reload: () => Promise<void>,
): Promise<void> {
  if (!hasPhone) {
    askForPhone(() => placeBooking(slot, reload))
    return
  }
  const accepted = await askAtBooking(slot)
  const confirmed = await platform.showModal({
    title: '确认预约',
    content: `${slot.title}\n${slotWhen(slot.startsAt, slot.endsAt)}`,
    confirmText: '预约',
  })
  if (confirmed) await placeBooking(slot, reload, accepted)
}

async function placeBooking(
  slot: SlotView,
  reload: () => Promise<void>,
  accepted: SubscribeKindName[] = [],
): Promise<void> {
  platform.showLoading('正在预约')
  try {
    const { booking } = await api.book(slot.id)
    await reportAccepted(booking.id, accepted)
    platform.hideLoading()
    platform.showToast('预约成功', 'success')
  } catch (error) {
    platform.hideLoading()
    // the phone was unbound meanwhile (moved to another person): ask again
    if (isApiError(error, 'PHONE_REQUIRED')) askForPhone(() => placeBooking(slot, reload))
    else if (!alreadyShown(error)) platform.showToast(describeError(error))
  }
  await reload()
}
