import type { Booking } from '@yuyue/contracts'
import { platform } from '@/services'

/** Refused in this launch: the next tap leads to the settings page instead. */
let calendarRefused = false

/**
 * 添加到手机日历, run from the tap itself: wx.addPhoneCalendar and wx.openSetting work only when
 * called synchronously in the tap (SPEC §6b), so nothing is awaited before them. WeChat asks for
 * scope.addPhoneCalendar on the first call; after a refusal the next tap opens the settings page
 * (SPEC §7: tap-only APIs first, the way to settings only after a refusal).
 */
export function addBookingToCalendar(booking: Booking): Promise<void> {
  if (calendarRefused) {
    return platform.openSetting().then(
      (setting) => {
        if (setting['scope.addPhoneCalendar'] !== true) return
        calendarRefused = false
        platform.showToast('已允许，请再点一次添加')
      },
      () => platform.showToast('无法打开设置'),
    )
  }
  return platform
    .addPhoneCalendar({
      title: `预约：${booking.slot.title}`,
      startTime: Math.floor(new Date(booking.slot.startsAt).getTime() / 1000),
      endTime: Math.floor(new Date(booking.slot.endsAt).getTime() / 1000),
      description: '请按时到场，工作人员将为你签到',
    })
    .then(
      (outcome) => {
        if (outcome === 'added') {
          platform.showToast('已添加到日历', 'success')
          return
        }
        calendarRefused = true
        platform.showToast('未获得日历权限，再点一次可去设置开启')
      },
      () => platform.showToast('添加到日历失败'),
    )
}
