import { routes } from '@/routes'
import { api, platform, session } from '@/services'
import { alreadyShown, describeError } from '@/services/apiError'

function report(error: unknown) {
  if (!alreadyShown(error)) platform.showToast(describeError(error))
}

/** chooseAvatar gives a temporary file: upload it, and the API answers with where it serves it. */
export async function uploadAvatar(tempFilePath: string): Promise<void> {
  platform.showLoading('正在上传')
  try {
    const { user } = await api.uploadAvatar(tempFilePath)
    session.updateUser(user)
    platform.hideLoading()
    platform.showToast('头像已更新', 'success')
  } catch (error) {
    platform.hideLoading()
    report(error)
  }
}

let nicknameBeingSaved: string | null = null

/** Saved once WeChat's review passed (SPEC §6b): one request per new value. */
export async function saveNickname(nickname: string): Promise<void> {
  const trimmed = nickname.trim()
  if (!trimmed || trimmed === session.user()?.nickname || trimmed === nicknameBeingSaved) return
  nicknameBeingSaved = trimmed
  try {
    const { user } = await api.saveNickname(trimmed)
    session.updateUser(user)
    platform.showToast('昵称已保存', 'success')
  } catch (error) {
    report(error)
  } finally {
    nicknameBeingSaved = null
  }
}

export function nicknameRefused(): void {
  platform.showToast('昵称未通过微信审核，请重新填写')
}

/**
 * 注销账号 (WeChat's review asks apps with accounts for it): after a confirmation the API erases
 * the account, and the app logs in silently again, as the new person WeChat's login now is.
 */
export async function confirmDeleteAccount(): Promise<void> {
  const confirmed = await platform.showModal({
    title: '注销账号',
    content: '注销后将解绑手机号、清除昵称和头像，并取消未开始的预约，且无法恢复。确定注销吗？',
    confirmText: '注销',
    cancelText: '取消',
  })
  if (!confirmed) return
  platform.showLoading('正在注销')
  try {
    await api.deleteAccount()
  } catch (error) {
    platform.hideLoading()
    report(error)
    return
  }
  platform.hideLoading()
  platform.showToast('账号已注销')
  try {
    await session.restart()
  } catch {
    // the launch page shows the failure with its retry
  }
  await platform.reLaunch(routes.home)
}
