import { Button, Text, View } from '@tarojs/components'
import { openPrivacyContract } from '@/privacy/privacyContract'
import { AGREE_BUTTON_ID } from '@/privacy/privacyGate'
import { platform, privacyGate } from '@/services'
import { useStore } from '@/session/useStore'
import { useTabBarHidden } from '../useTabBarHidden'
import '@/components/QuickLoginSheet/index.scss'

function agree() {
  privacyGate.agree()
}

/**
 * The app's own privacy popup for onNeedPrivacyAuthorization: shown when WeChat holds a privacy
 * API (avatar, nickname, calendar) until the person answers. Pages that use such APIs render it.
 */
export default function PrivacyPopup() {
  const state = useStore(privacyGate.state)
  useTabBarHidden(state.open)
  if (!state.open) return null
  return (
    <View className="sheet-mask" catchMove>
      <View className="sheet">
        <View className="sheet__title">用户隐私保护提示</View>
        <View className="sheet__text">
          使用该功能前，请阅读
          <Text className="sheet__link" onClick={openPrivacyContract}>
            {state.contractName}
          </Text>
          。同意后即可继续；不同意仍可浏览其他内容。
        </View>
        <View className="sheet__actions">
          <Button className="sheet__btn sheet__btn--default" onClick={() => privacyGate.disagree()}>
            不同意
          </Button>
          <Button
            id={AGREE_BUTTON_ID}
            className="sheet__btn"
            type="primary"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={agree}
            onClick={() =>
              platform.openTypeTapped(['agreePrivacyAuthorization'], { onAgreePrivacyAuthorization: agree })
            }
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  )
}
