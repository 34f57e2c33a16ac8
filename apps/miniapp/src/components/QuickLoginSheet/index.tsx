import { Button, Text, View } from '@tarojs/components'
import QuickLoginButton from '@/components/QuickLoginButton'
import { phoneDeclined } from '@/privacy/askForPhone'
import { openPrivacyContract } from '@/privacy/privacyContract'
import { quickLogin } from '@/services'
import { useStore } from '@/session/useStore'
import { useTabBarHidden } from '../useTabBarHidden'
import './index.scss'

function decline() {
  quickLogin.decline()
  phoneDeclined()
}

/**
 * The 快捷登录 sheet, opened by an action that needs the phone (booking). Before the privacy guide
 * is agreed it is the app's agreement popup, whose 同意 button is the combined button; afterwards
 * it only asks for the phone number.
 */
export default function QuickLoginSheet() {
  const state = useStore(quickLogin.state)
  const open = state.step === 'asking' || (state.step === 'binding' && state.inSheet)
  useTabBarHidden(open)
  if (!open) return null
  const needsAgreement = state.step === 'asking' && state.needsAgreement
  const contractName = state.step === 'asking' ? state.contractName : ''
  const binding = state.step === 'binding'

  return (
    <View className="sheet-mask" catchMove>
      <View className="sheet">
        <View className="sheet__title">{needsAgreement ? '用户隐私保护提示' : '手机号快捷登录'}</View>
        {needsAgreement ? (
          <View className="sheet__text">
            感谢你使用预约小程序。预约前请阅读
            <Text className="sheet__link" onClick={openPrivacyContract}>
              {contractName}
            </Text>
            。点击“同意并继续”即表示你已阅读并同意，我们将通过微信获取你的手机号，用于预约验证与身份识别。
          </View>
        ) : (
          <View className="sheet__text">
            预约需要验证手机号。微信将提供你绑定的手机号，工作人员验证后可进入工作台。
            <Text className="sheet__link" onClick={openPrivacyContract}>
              查看隐私保护指引
            </Text>
          </View>
        )}
        <View className="sheet__actions">
          <Button
            className="sheet__btn sheet__btn--default"
            disabled={binding || undefined}
            onClick={decline}
          >
            {needsAgreement ? '不同意' : '暂不登录'}
          </Button>
          <QuickLoginButton id="quick-login-sheet" className="sheet__btn">
            {needsAgreement ? '同意并继续' : '快捷登录'}
          </QuickLoginButton>
        </View>
      </View>
    </View>
  )
}
