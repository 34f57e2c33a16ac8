import { Button, type ButtonProps } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { OpenTypeHandlers, PhoneNumberDetail } from '@/platform/types'
import { phoneNumberAnswered } from '@/privacy/askForPhone'
import { platform, quickLogin } from '@/services'
import { useStore } from '@/session/useStore'

// One tap agrees to the privacy guide and asks WeChat for the number (SPEC §1). Taro's own Button,
// not a UI kit's wrapper: wrapped, the combined open-type never fired the phone event (TOOLCHAIN).
const COMBINED_OPEN_TYPE = 'getPhoneNumber|agreePrivacyAuthorization'

interface Props {
  /** WeChat releases held privacy APIs only for the id of the button really tapped: one per place */
  id: string
  className?: string
  size?: ButtonProps['size']
  children: ReactNode
}

/**
 * 快捷登录 itself: the combined `getPhoneNumber|agreePrivacyAuthorization` button, used by the
 * sheet (booking) and straight on the home notice and the profile.
 */
export default function QuickLoginButton({ id, className, size, children }: Props) {
  const binding = useStore(quickLogin.state).step === 'binding'
  const handlers: OpenTypeHandlers = {
    onAgreePrivacyAuthorization: () => quickLogin.agreed(id),
    onGetPhoneNumber: (detail) => void phoneNumberAnswered(detail),
  }
  return (
    <Button
      id={id}
      className={className}
      type="primary"
      size={size}
      disabled={binding || undefined}
      openType={COMBINED_OPEN_TYPE as ButtonProps['openType']}
      onAgreePrivacyAuthorization={handlers.onAgreePrivacyAuthorization}
      onGetPhoneNumber={(event) => handlers.onGetPhoneNumber?.(event.detail as PhoneNumberDetail)}
      // WeChat runs the open-types itself (a no-op there); the H5 sandbox answers them from here
      onClick={() => platform.openTypeTapped(['getPhoneNumber', 'agreePrivacyAuthorization'], handlers)}
    >
      {/* text, not the loading prop: Taro's H5 button re-renders its children when it changes */}
      {binding ? '正在登录…' : children}
    </Button>
  )
}
