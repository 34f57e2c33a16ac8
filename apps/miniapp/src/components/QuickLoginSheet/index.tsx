import { Button, type ButtonProps, Text, View } from '@tarojs/components'
import type { PhoneNumberDetail } from '@/platform/types'
import { phoneBound, phoneDeclined } from '@/privacy/askForPhone'
import { platform, quickLogin } from '@/services'
import { useStore } from '@/session/useStore'
import { useTabBarHidden } from '../useTabBarHidden'
import './index.scss'

// One tap agrees to the privacy guide and asks WeChat for the number (SPEC §1).
const COMBINED_OPEN_TYPE = 'getPhoneNumber|agreePrivacyAuthorization'
// WeChat checks that a held privacy API is released by the id of the button really tapped
const AGREE_AND_LOGIN_BUTTON_ID = 'quick-login-sheet'

async function onPhoneNumber(detail: PhoneNumberDetail) {
  const user = await quickLogin.phoneNumberEvent(detail)
  if (user) await phoneBound(user)
  else phoneDeclined()
}

function onAgree() {
  quickLogin.agreed(AGREE_AND_LOGIN_BUTTON_ID)
}

function decline() {
  quickLogin.decline()
  phoneDeclined()
}

function openContract() {
  platform.openPrivacyContract().catch(() => platform.showToast('无法打开隐私保护指引'))
}

/**
 * The 快捷登录 sheet. Before the privacy guide is agreed it is the app's agreement popup, whose
 * 同意 button is the combined button; afterwards it only asks for the phone number.
 */
export default function QuickLoginSheet() {
  const state = useStore(quickLogin.state)
  const open = state.step === 'asking' || state.step === 'binding'
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
            <Text className="sheet__link" onClick={openContract}>
              {contractName}
            </Text>
            。点击“同意并继续”即表示你已阅读并同意，我们将通过微信获取你的手机号，用于预约验证与身份识别。
          </View>
        ) : (
          <View className="sheet__text">
            预约需要验证手机号。微信将提供你绑定的手机号，工作人员验证后可进入工作台。
            <Text className="sheet__link" onClick={openContract}>
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
          <Button
            id={AGREE_AND_LOGIN_BUTTON_ID}
            className="sheet__btn"
            type="primary"
            disabled={binding || undefined}
            openType={COMBINED_OPEN_TYPE as ButtonProps['openType']}
            onAgreePrivacyAuthorization={onAgree}
            onGetPhoneNumber={(event) => void onPhoneNumber(event.detail as PhoneNumberDetail)}
            onClick={() =>
              platform.openTypeTapped(['getPhoneNumber', 'agreePrivacyAuthorization'], {
                onAgreePrivacyAuthorization: onAgree,
                onGetPhoneNumber: (detail) => void onPhoneNumber(detail),
              })
            }
          >
            {/* text, not the loading prop: Taro's H5 button re-renders its children when it changes */}
            {binding ? '正在登录…' : needsAgreement ? '同意并继续' : '快捷登录'}
          </Button>
        </View>
      </View>
    </View>
  )
}
