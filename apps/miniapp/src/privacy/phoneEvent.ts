import type { PhoneNumberDetail } from '@/platform/types'

/** errno WeChat sends when the app's paid phone-number quota is used up. */
export const PHONE_QUOTA_ERRNO = 1400001

export type PhoneEventOutcome =
  | { kind: 'code'; code: string }
  | { kind: 'denied' }
  | { kind: 'quota' }
  | { kind: 'privacyRefused' }
  | { kind: 'failed'; errMsg: string }

/** What a getPhoneNumber button event means for the app. */
export function readPhoneEvent(detail: PhoneNumberDetail | undefined): PhoneEventOutcome {
  if (!detail) return { kind: 'failed', errMsg: 'no event detail' }
  if (detail.errno === PHONE_QUOTA_ERRNO) return { kind: 'quota' }
  if (/:ok$/.test(detail.errMsg) && detail.code) return { kind: 'code', code: detail.code }
  if (/user deny|cancel/i.test(detail.errMsg)) return { kind: 'denied' }
  if (/privacy/i.test(detail.errMsg)) return { kind: 'privacyRefused' }
  return { kind: 'failed', errMsg: detail.errMsg }
}

export const phoneRefusalMessages = {
  denied: '你已取消手机号授权，可继续浏览；预约前需验证手机号',
  quota: '手机号快捷登录暂不可用，请稍后再试；你可继续浏览',
  privacyRefused: '未同意隐私保护指引，无法获取手机号；你可继续浏览',
  disagreed: '未同意隐私保护指引，你可继续浏览，预约时可再次登录',
} as const
