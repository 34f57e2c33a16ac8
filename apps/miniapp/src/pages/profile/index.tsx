import { Button, Image, Input, View } from '@tarojs/components'
import type { MiniappUser } from '@yuyue/contracts'
import { useRef, useState } from 'react'
import PrivacyPopup from '@/components/PrivacyPopup'
import QuickLoginButton from '@/components/QuickLoginButton'
import SessionGate from '@/components/SessionGate'
import { openPrivacyContract } from '@/privacy/privacyContract'
import { routes } from '@/routes'
import { platform } from '@/services'
import { confirmDeleteAccount, nicknameRefused, saveNickname, uploadAvatar } from './profileActions'
import './index.scss'

const ROLE_NAMES: Record<MiniappUser['role'], string> = { user: '普通用户', staff: '工作人员' }

function chosenAvatar(detail: { avatarUrl: string }) {
  if (detail.avatarUrl) void uploadAvatar(detail.avatarUrl)
}

function Profile({ user }: { user: MiniappUser }) {
  const [nickname, setNickname] = useState(user.nickname ?? '')
  // what the field holds when WeChat's review of it reports: typed, or picked from the keyboard
  const entered = useRef(user.nickname ?? '')
  // WeChat reviews the text after blur and may clear it (SPEC §6b): blur only records what is
  // there (a nickname picked above the keyboard arrives that way); a passed review saves it
  function reviewed(pass: boolean) {
    if (pass) {
      void saveNickname(entered.current)
      return
    }
    entered.current = user.nickname ?? ''
    setNickname(entered.current)
    nicknameRefused()
  }
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
            onInput={(event) => {
              entered.current = event.detail.value
              setNickname(event.detail.value)
            }}
            // WeChat reviews the text after blur and may clear it (SPEC §6b): blur only records
            // what is there (a nickname picked above the keyboard arrives here), the review saves it
            onBlur={(event) => {
              entered.current = event.detail.value
              platform.nicknameBlurred(reviewed)
            }}
            onNickNameReview={(event) => reviewed((event.detail as { pass?: boolean }).pass === true)}
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

      <View className="cells profile-links">
        <View className="cell profile-delete" onClick={() => void confirmDeleteAccount()}>
          <View className="cell__body">注销账号</View>
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
