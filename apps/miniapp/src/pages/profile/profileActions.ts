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

/** Saved on confirm and on blur, which often come together: one request per new value. */
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
