import { Button, View } from '@tarojs/components'
import { useState } from 'react'
import { platform, session } from '@/services'
import { isApiError } from '@/services/apiError'
import { pageAfterLaunch } from '@/session/landing'
import './index.scss'

/** Shown when the API answers USER_DISABLED; an admin may enable the person again. */
export default function BlockedPage() {
  const [checking, setChecking] = useState(false)

  async function checkAgain() {
    setChecking(true)
    try {
      // a new login: the token from before the disabling is no longer accepted
      const user = await session.restart()
      const target = pageAfterLaunch(user, platform.currentRoute())
      if (target) await platform.reLaunch(target)
    } catch (error) {
      if (isApiError(error, 'USER_DISABLED')) platform.showToast('账号仍处于禁用状态')
    } finally {
      setChecking(false)
    }
  }

  return (
    <View className="page blocked">
      <View className="blocked__icon">!</View>
      <View className="blocked__title">账号已被禁用</View>
      <View className="blocked__text">用户已被禁用，无法登录。如有疑问，请联系管理员。</View>
      <View className="btn-area">
        <Button type="default" disabled={checking || undefined} onClick={() => void checkAgain()}>
          {checking ? '正在检查…' : '重新检查'}
        </Button>
      </View>
    </View>
  )
}
