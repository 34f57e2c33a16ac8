import type { PhoneNumberDetail } from '../types'
import { currentOpenid, sandboxAppId } from './devIdentity'
import { showSheet } from './domSheet'
import { issuePhoneCode } from './sandboxControl'

/** The demo staff number: import it as staff and the person lands on the staff booking view. */
export const DEMO_STAFF_PHONE = '13900000000'

type Choice = { phone: string } | { refuse: 'deny' } | { refuse: 'quota' }

function randomMainlandNumber(): string {
  const rest = Math.floor(Math.random() * 1e8)
    .toString()
    .padStart(8, '0')
  return `137${rest}`
}

/**
 * Stands in for WeChat's phone-number sheet: pick a test number, and the sandbox issues the code
 * WeChat would hand to the button's getPhoneNumber event. Refusals are offered too, so the app's
 * handling of "user deny" and of the exhausted quota (errno 1400001) can be tried in a browser.
 */
export async function pickPhoneNumber(): Promise<PhoneNumberDetail> {
  const fresh = randomMainlandNumber()
  const choice = await showSheet<Choice>({
    title: '选择手机号（沙箱）',
    note: '模拟微信手机号快捷验证：选择一个测试号码，由 WeChat 沙箱签发手机号凭证',
    options: [
      { label: '13800138000', hint: '测试用户', value: { phone: '13800138000' } },
      {
        label: DEMO_STAFF_PHONE,
        hint: '演示工作人员（需已导入员工名单）',
        value: { phone: DEMO_STAFF_PHONE },
      },
      { label: fresh, hint: '一个新的随机号码', value: { phone: fresh } },
      {
        label: '拒绝授权',
        hint: '模拟 getPhoneNumber:fail user deny',
        value: { refuse: 'deny' },
        tone: 'warn',
      },
      { label: '次数已用完', hint: '模拟 errno 1400001', value: { refuse: 'quota' }, tone: 'warn' },
    ],
    input: {
      placeholder: '其他手机号，如 13700001111',
      pattern: /^1[3-9]\d{9}$/,
      submitLabel: '使用',
      toValue: (text) => ({ phone: text }),
    },
  })
  if (choice === null || ('refuse' in choice && choice.refuse === 'deny')) {
    return { errMsg: 'getPhoneNumber:fail user deny' }
  }
  if ('refuse' in choice) return { errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 }
  const openid = currentOpenid()
  if (!openid) return { errMsg: 'getPhoneNumber:fail not logged in' }
  try {
    const { code } = await issuePhoneCode({ appId: await sandboxAppId(), phoneNumber: choice.phone, openid })
    return { errMsg: 'getPhoneNumber:ok', code }
  } catch (error) {
    return { errMsg: `getPhoneNumber:fail ${error instanceof Error ? error.message : String(error)}` }
  }
}
