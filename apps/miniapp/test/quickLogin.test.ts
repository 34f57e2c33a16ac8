import type { MiniappUser } from '@yuyue/contracts'
import { describe, expect, it, vi } from 'vitest'
import type { PrivacyRequestListener, PrivacyResolution } from '@/platform/types'
import { readPhoneEvent } from '@/privacy/phoneEvent'
import { AGREE_BUTTON_ID, PrivacyGate } from '@/privacy/privacyGate'
import { QuickLoginFlow, type QuickLoginState } from '@/privacy/quickLogin'
import { ApiError } from '@/services/apiError'
import { fakePlatform } from './fakePlatform'

const bound: MiniappUser = {
  id: 7,
  role: 'user',
  nickname: null,
  avatarUrl: null,
  phone: { countryCode: '86', masked: '138****8000' },
  createdAt: '2026-01-01T00:00:00.000Z',
}

describe('reading the getPhoneNumber event', () => {
  it.each([
    [
      { errMsg: 'getPhoneNumber:ok', code: 'c1' },
      { kind: 'code', code: 'c1' },
    ],
    [{ errMsg: 'getPhoneNumber:fail user deny' }, { kind: 'denied' }],
    [{ errMsg: 'getPhoneNumber:fail:user cancel' }, { kind: 'denied' }],
    [{ errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 }, { kind: 'quota' }],
    [{ errMsg: 'getPhoneNumber:fail privacy permission is not authorized' }, { kind: 'privacyRefused' }],
    [{ errMsg: 'getPhoneNumber:ok' }, { kind: 'failed', errMsg: 'getPhoneNumber:ok' }],
    [
      { errMsg: 'getPhoneNumber:fail jsapi has no permission' },
      { kind: 'failed', errMsg: 'getPhoneNumber:fail jsapi has no permission' },
    ],
  ])('%j → %j', (detail, outcome) => {
    expect(readPhoneEvent(detail)).toEqual(outcome)
  })
})

describe('the quick-login flow', () => {
  function flow(needAuthorization: boolean, bindPhone = vi.fn(async () => bound)) {
    const platform = fakePlatform({
      getPrivacySetting: vi.fn(async () => ({
        needAuthorization,
        privacyContractName: '《预约隐私保护指引》',
      })),
    })
    const privacyGate = { agree: vi.fn() }
    return {
      quickLogin: new QuickLoginFlow({ platform, bindPhone, privacyGate }),
      platform,
      bindPhone,
      privacyGate,
    }
  }

  it('is closed until the person wants to book or taps 快捷登录', () => {
    const { quickLogin, platform } = flow(true)
    expect(quickLogin.state.get()).toEqual({ step: 'closed' })
    expect(platform.getPrivacySetting).not.toHaveBeenCalled()
  })

  it('shows the agreement first when the privacy guide was never agreed', async () => {
    const { quickLogin } = flow(true)
    await quickLogin.open()
    expect(quickLogin.state.get()).toEqual({
      step: 'asking',
      needsAgreement: true,
      contractName: '《预约隐私保护指引》',
    })
  })

  it('asks only for the phone once the guide was agreed', async () => {
    const { quickLogin } = flow(false)
    await quickLogin.open()
    expect(quickLogin.state.get()).toMatchObject({ step: 'asking', needsAgreement: false })
  })

  it('the sheet’s agree + a phone code in one tap: binding in the sheet, then bound', async () => {
    const { quickLogin, bindPhone, privacyGate } = flow(true)
    await quickLogin.open()
    quickLogin.agreed('quick-login-sheet')
    expect(privacyGate.agree).toHaveBeenCalledWith('quick-login-sheet')
    const steps: QuickLoginState[] = []
    quickLogin.state.subscribe(() => steps.push(quickLogin.state.get()))
    const user = await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:ok', code: 'phone-code' })
    expect(user).toEqual(bound)
    expect(bindPhone).toHaveBeenCalledWith('phone-code')
    expect(steps).toEqual([
      { step: 'binding', inSheet: true },
      { step: 'bound', user: bound },
    ])
  })

  it('one tap on a page’s 快捷登录 (no sheet opened) binds the phone without opening the sheet', async () => {
    const { quickLogin, bindPhone, platform } = flow(true)
    const steps: QuickLoginState[] = []
    quickLogin.state.subscribe(() => steps.push(quickLogin.state.get()))
    quickLogin.agreed('quick-login-home')
    const user = await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:ok', code: 'phone-code' })
    expect(user).toEqual(bound)
    expect(bindPhone).toHaveBeenCalledWith('phone-code')
    expect(steps).toEqual([
      { step: 'binding', inSheet: false },
      { step: 'bound', user: bound },
    ])
    // the agreement comes with the tap: no privacy setting read, no agreement sheet
    expect(platform.getPrivacySetting).not.toHaveBeenCalled()
  })

  it('one tap on a page’s 快捷登录 that is refused leaves the person browsing', async () => {
    const { quickLogin, bindPhone } = flow(true)
    expect(await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:fail user deny' })).toBeNull()
    expect(quickLogin.state.get()).toEqual({
      step: 'refused',
      message: '你已取消手机号授权，可继续浏览；预约前需验证手机号',
    })
    expect(bindPhone).not.toHaveBeenCalled()
  })

  it('a refusal of the phone sheet leaves the person browsing, with a clear message', async () => {
    const { quickLogin, platform, bindPhone } = flow(false)
    await quickLogin.open()
    expect(await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:fail user deny' })).toBeNull()
    expect(quickLogin.state.get()).toEqual({
      step: 'refused',
      message: '你已取消手机号授权，可继续浏览；预约前需验证手机号',
    })
    expect(platform.showToast).toHaveBeenCalledWith('你已取消手机号授权，可继续浏览；预约前需验证手机号')
    expect(bindPhone).not.toHaveBeenCalled()
  })

  it('the exhausted quota (errno 1400001) is a refusal with its own message', async () => {
    const { quickLogin } = flow(false)
    await quickLogin.open()
    await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 })
    expect(quickLogin.state.get()).toEqual({
      step: 'refused',
      message: '手机号快捷登录暂不可用，请稍后再试；你可继续浏览',
    })
  })

  it('不同意 on the agreement is a refusal that says why', async () => {
    const { quickLogin } = flow(true)
    await quickLogin.open()
    quickLogin.decline()
    expect(quickLogin.state.get()).toEqual({
      step: 'refused',
      message: '未同意隐私保护指引，你可继续浏览，预约时可再次登录',
    })
  })

  it('an API refusal of the code is a failure with the API message', async () => {
    const { quickLogin, platform } = flow(
      false,
      vi.fn().mockRejectedValue(new ApiError('WECHAT_CODE_INVALID', '微信登录凭证无效或已过期,请重试', 400)),
    )
    await quickLogin.open()
    expect(await quickLogin.phoneNumberEvent({ errMsg: 'getPhoneNumber:ok', code: 'stale' })).toBeNull()
    expect(quickLogin.state.get()).toEqual({ step: 'failed', message: '微信登录凭证无效或已过期,请重试' })
    expect(platform.showToast).toHaveBeenCalledWith('微信登录凭证无效或已过期,请重试', 'error')
  })

  it('closing while the privacy setting is read keeps it closed', async () => {
    const { quickLogin } = flow(true)
    const opening = quickLogin.open()
    quickLogin.close()
    await opening
    expect(quickLogin.state.get()).toEqual({ step: 'closed' })
  })
})

describe('the privacy popup (onNeedPrivacyAuthorization)', () => {
  function gate() {
    let listener: PrivacyRequestListener | null = null
    const platform = fakePlatform({
      onNeedPrivacyAuthorization: vi.fn((next: PrivacyRequestListener) => {
        listener = next
      }),
      getPrivacySetting: vi.fn(async () => ({
        needAuthorization: true,
        privacyContractName: '《预约隐私保护指引》',
      })),
    })
    const privacyGate = new PrivacyGate(platform)
    privacyGate.listen()
    const request = () => {
      const answers: PrivacyResolution[] = []
      listener!((resolution) => answers.push(resolution))
      return answers
    }
    return { privacyGate, platform, request }
  }

  it('listens once, however often it is asked to', () => {
    const { privacyGate, platform } = gate()
    privacyGate.listen()
    expect(platform.onNeedPrivacyAuthorization).toHaveBeenCalledTimes(1)
  })

  it('opens the popup when WeChat holds a privacy API, and reports the exposure', async () => {
    const { privacyGate, request } = gate()
    const answers = request()
    await vi.waitFor(() =>
      expect(privacyGate.state.get()).toEqual({ open: true, contractName: '《预约隐私保护指引》' }),
    )
    expect(answers).toEqual([{ event: 'exposureAuthorization' }])
  })

  it('tells WeChat once per held request that the popup was shown, however they arrive', async () => {
    const { privacyGate, platform, request } = gate()
    const first = request()
    const second = request()
    await vi.waitFor(() => expect(privacyGate.state.get().open).toBe(true))
    const third = request()
    expect(platform.getPrivacySetting).toHaveBeenCalledTimes(1)
    for (const answers of [first, second, third])
      expect(answers).toEqual([{ event: 'exposureAuthorization' }])
  })

  it('同意 lets every held API go on, naming the agree button', async () => {
    const { privacyGate, request } = gate()
    const first = request()
    const second = request()
    await vi.waitFor(() => expect(privacyGate.state.get().open).toBe(true))
    privacyGate.agree()
    expect(first.at(-1)).toEqual({ event: 'agree', buttonId: AGREE_BUTTON_ID })
    expect(second.at(-1)).toEqual({ event: 'agree', buttonId: AGREE_BUTTON_ID })
    expect(privacyGate.state.get()).toEqual({ open: false })
  })

  it('agreeing through the combined 快捷登录 button lets the held APIs go on, naming that button', async () => {
    const { privacyGate, platform, request } = gate()
    const quickLogin = new QuickLoginFlow({ platform, bindPhone: vi.fn(async () => bound), privacyGate })
    const first = request()
    const second = request()
    await vi.waitFor(() => expect(privacyGate.state.get().open).toBe(true))
    quickLogin.agreed('quick-login-home')
    expect(first).toEqual([
      { event: 'exposureAuthorization' },
      { event: 'agree', buttonId: 'quick-login-home' },
    ])
    expect(second.at(-1)).toEqual({ event: 'agree', buttonId: 'quick-login-home' })
    expect(privacyGate.state.get()).toEqual({ open: false })
  })

  it('an agreement with nothing held answers nobody, and a later request asks again', async () => {
    const { privacyGate, platform, request } = gate()
    const quickLogin = new QuickLoginFlow({ platform, bindPhone: vi.fn(async () => bound), privacyGate })
    quickLogin.agreed('quick-login-home')
    expect(privacyGate.state.get()).toEqual({ open: false })
    const later = request()
    await vi.waitFor(() => expect(privacyGate.state.get().open).toBe(true))
    privacyGate.agree()
    expect(later.at(-1)).toEqual({ event: 'agree', buttonId: AGREE_BUTTON_ID })
  })

  it('stays closed when the combined button agreed while the popup was about to open', async () => {
    const { privacyGate, platform, request } = gate()
    const quickLogin = new QuickLoginFlow({ platform, bindPhone: vi.fn(async () => bound), privacyGate })
    const answers = request()
    quickLogin.agreed('quick-login-home')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(answers).toEqual([{ event: 'agree', buttonId: 'quick-login-home' }])
    expect(privacyGate.state.get()).toEqual({ open: false })
  })

  it('不同意 fails the held API and tells the person they can keep browsing', async () => {
    const { privacyGate, platform, request } = gate()
    const answers = request()
    await vi.waitFor(() => expect(privacyGate.state.get().open).toBe(true))
    privacyGate.disagree()
    expect(answers.at(-1)).toEqual({ event: 'disagree' })
    expect(privacyGate.state.get()).toEqual({ open: false })
    expect(platform.showToast).toHaveBeenCalledWith('未同意隐私保护指引，你可继续浏览，预约时可再次登录')
  })
})
