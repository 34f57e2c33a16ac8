import type { Booking } from '@yuyue/contracts'
import { ensureScope } from '@/permissions/scope'
import { platform } from '@/services'

/** 添加到手机日历: asks for scope.addPhoneCalendar first (with the way to settings after a refusal). */
export async function addBookingToCalendar(booking: Booking): Promise<void> {
  const outcome = await ensureScope(platform, { scope: 'scope.addPhoneCalendar', purpose: '添加到手机日历' })
  if (outcome !== 'granted') {
    platform.showToast('未获得日历权限')
    return
  }
  try {
    await platform.addPhoneCalendar({
      title: `预约：${booking.slot.title}`,
      startTime: Math.floor(new Date(booking.slot.startsAt).getTime() / 1000),
      endTime: Math.floor(new Date(booking.slot.endsAt).getTime() / 1000),
      description: '请按时到场，工作人员将为你签到',
    })
    platform.showToast('已添加到日历', 'success')
  } catch {
    platform.showToast('添加到日历失败')
  }
}
