import type { StaffBookingEntry } from '@yuyue/contracts'
import { api, platform } from '@/services'
import { alreadyShown, describeError } from '@/services/apiError'
import { slotWhen } from '@/utils/venueTime'

function personOf(user: StaffBookingEntry['user']): string {
  return `${user.nickname || '微信用户'}（${user.phoneMasked ?? '未绑定手机号'}）`
}

function report(error: unknown) {
  if (!alreadyShown(error)) platform.showToast(describeError(error))
}

/** A tap on 签到: confirmed first, since a wrong tap marks someone present who is not. */
export async function confirmCheckIn(booking: StaffBookingEntry, reload: () => Promise<void>) {
  const confirmed = await platform.showModal({
    title: '确认签到',
    content: `为 ${personOf(booking.user)} 签到？`,
    confirmText: '签到',
  })
  if (!confirmed) return
  try {
    await api.checkIn(booking.id)
    platform.showToast('签到成功', 'success')
  } catch (error) {
    report(error)
  }
  await reload()
}

/**
 * 扫码签到: the camera reads the person's 预约码, a dry run shows who and which slot, and only a
 * confirmation checks them in, so a code from the wrong queue is caught before it counts.
 */
export async function scanAndCheckIn(reload: () => Promise<void>) {
  let code: string | null
  try {
    code = await platform.scanCode()
  } catch {
    platform.showToast('无法打开扫码')
    return
  }
  if (!code) return
  try {
    const seen = await api.scanCheckIn(code, true)
    const confirmed = await platform.showModal({
      title: '确认签到',
      content: `${personOf(seen.user)}\n${seen.slot.title} ${slotWhen(seen.slot.startsAt, seen.slot.endsAt)}`,
      confirmText: '签到',
    })
    if (!confirmed) return
    await api.scanCheckIn(code, false)
    platform.showToast('签到成功', 'success')
  } catch (error) {
    report(error)
  }
  await reload()
}

/** 撤销签到, within ten minutes of the check-in (a wrong person, a wrong tap). */
export async function confirmUndo(booking: StaffBookingEntry, reload: () => Promise<void>) {
  const confirmed = await platform.showModal({
    title: '撤销签到',
    content: `撤销 ${personOf(booking.user)} 的签到？`,
    confirmText: '撤销',
  })
  if (!confirmed) return
  try {
    await api.undoCheckIn(booking.id)
    platform.showToast('已撤销', 'success')
  } catch (error) {
    report(error)
  }
  await reload()
}
