import type { MiniappUser } from '@yuyue/contracts'
import type { PhoneNumberDetail } from '@/platform/types'
import { tabPages } from '@/routes'
import { platform, quickLogin } from '@/services'
import { pageAfterPhoneBound } from '@/session/landing'

type AfterBound = (user: MiniappUser) => Promise<void>

let afterBound: AfterBound | null = null

/**
 * Opens the 快捷登录 sheet, for an action that needs the phone (booking); `then` runs once it is
 * bound. A tap on 快捷登录 itself needs no sheet: that button is the combined one.
 */
export function askForPhone(then?: AfterBound): void {
  afterBound = then ?? null
  void quickLogin.open()
}

/** The phone is bound: finish what the person was doing, then go where their role lands. */
export async function phoneBound(user: MiniappUser): Promise<void> {
  quickLogin.close()
  const pending = afterBound
  afterBound = null
  platform.showToast(user.role === 'staff' ? '已验证工作人员身份' : '手机号验证成功', 'success')
  if (pending) await pending(user)
  const target = pageAfterPhoneBound(user, platform.currentRoute())
  if (!target) return
  if (tabPages.includes(target)) await platform.switchTab(target)
  else await platform.reLaunch(target)
}

export function phoneDeclined(): void {
  afterBound = null
}

/** onGetPhoneNumber of a 快捷登录 button, in the sheet or on a page. */
export async function phoneNumberAnswered(detail: PhoneNumberDetail): Promise<void> {
  const user = await quickLogin.phoneNumberEvent(detail)
  if (user) await phoneBound(user)
  else phoneDeclined()
}
