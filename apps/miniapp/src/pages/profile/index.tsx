import { Button, Image, Input, View } from '@tarojs/components'
import type { MiniappUser } from '@yuyue/contracts'
import { useState } from 'react'
import PrivacyPopup from '@/components/PrivacyPopup'
import QuickLoginButton from '@/components/QuickLoginButton'
import SessionGate from '@/components/SessionGate'
import { openPrivacyContract } from '@/privacy/privacyContract'
import { routes } from '@/routes'
import { platform } from '@/services'
import { saveNickname, uploadAvatar } from './profileActions'
import './index.scss'

const ROLE_NAMES: Record<MiniappUser['role'], string> = { user: '普通用户', staff: '工作人员' }

function chosenAvatar(detail: { avatarUrl: string }) {
  if (detail.avatarUrl) void uploadAvatar(detail.avatarUrl)
}

function Profile({ user }: { user: MiniappUser }) {
  const [nickname, setNickname] = useState(user.nickname ?? '')
  return (
    <View>
      <View className="profile-head">
        <Button
          className="profile-head__avatar"
          openType="chooseAvatar"
          onChooseAvatar={(event) => chosenAvatar(event.detail as { avatarUrl: string })}
          onClick={() => platform.openTypeTapped(['chooseAvatar'], { onChooseAvatar: chosenAvatar })}
        >
          {user.avatarUrl ? (
            <Image className="profile-head__image" src={user.avatarUrl} mode="aspectFill" />
          ) : (
            <View className="profile-head__placeholder">头像</View>
          )}
        </Button>
        <View className="profile-head__hint">点击更换头像</View>
      </View>

      <View className="cells">
        <View className="cell">
          <View className="cell__body">昵称</View>
          <Input
            className="profile-nickname"
            type="nickname"
            placeholder="填写昵称"
            maxlength={32}
            value={nickname}
            onInput={(event) => setNickname(event.detail.value)}
            // WeChat fills a nickname picked from its keyboard sheet and reports it on blur
            onBlur={(event) => void saveNickname(event.detail.value)}
            onConfirm={(event) => void saveNickname(event.detail.value)}
          />
        </View>
        <View className="cell">
          <View className="cell__body">手机号</View>
          {user.phone ? (
            <View className="cell__value">{user.phone.masked}</View>
          ) : (
            <QuickLoginButton id="quick-login-profile" className="mini-btn" size="mini">
              快捷登录
            </QuickLoginButton>
          )}
        </View>
        <View className="cell">
          <View className="cell__body">身份</View>
          <View className="cell__value">{ROLE_NAMES[user.role]}</View>
        </View>
      </View>

      <View className="cells profile-links">
        {user.role === 'staff' ? (
          <View className="cell" onClick={() => void platform.navigateTo(routes.staff)}>
            <View className="cell__body">工作台</View>
            <View className="cell__value cell__arrow">预约与签到</View>
          </View>
        ) : null}
        <View className="cell" onClick={openPrivacyContract}>
          <View className="cell__body">隐私保护指引</View>
          <View className="cell__value cell__arrow" />
        </View>
      </View>
    </View>
  )
}

export default function ProfilePage() {
  return (
    <View className="page">
      <SessionGate>{(user) => <Profile user={user} />}</SessionGate>
      <PrivacyPopup />
    </View>
  )
}
