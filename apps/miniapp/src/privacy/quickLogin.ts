import type { MiniappUser } from '@yuyue/contracts'
import type { PhoneNumberDetail, Platform } from '@/platform/types'
import { describeError } from '@/services/apiError'
import { createStore, type Store } from '@/session/store'
import { phoneRefusalMessages, readPhoneEvent } from './phoneEvent'
import type { PrivacyGate } from './privacyGate'

/**
 * 快捷登录 with the combined `getPhoneNumber|agreePrivacyAuthorization` button: tapped on a page
 * (home, profile) it agrees and asks WeChat for the number in one tap. An action that needs the
 * phone (booking) opens the sheet instead; before the privacy guide is agreed the sheet is the
 * app's agreement popup (guide link, 不同意, and the combined button as 同意).
 */
export type QuickLoginState =
  | { step: 'closed' }
  | { step: 'checking' }
  | { step: 'asking'; needsAgreement: boolean; contractName: string }
  /** `inSheet`: the code came from the sheet's button, which shows the progress */
  | { step: 'binding'; inSheet: boolean }
  | { step: 'bound'; user: MiniappUser }
  | { step: 'refused'; message: string }
  | { step: 'failed'; message: string }

export interface QuickLoginDeps {
  platform: Pick<Platform, 'getPrivacySetting' | 'showToast'>
  /** POST /api/auth/phone with the button's code; resolves with the person, phone bound */
  bindPhone(code: string): Promise<MiniappUser>
  /** where privacy APIs wait for an agreement (onNeedPrivacyAuthorization) */
  privacyGate: Pick<PrivacyGate, 'agree'>
}

export class QuickLoginFlow {
  readonly state: Store<QuickLoginState> = createStore<QuickLoginState>({ step: 'closed' })

  constructor(private readonly deps: QuickLoginDeps) {}

  /** The person wants to book, or tapped 快捷登录: never earlier (WeChat review rule). */
  async open(): Promise<void> {
    this.state.set({ step: 'checking' })
    const setting = await this.deps.platform
      .getPrivacySetting()
      .catch(() => ({ needAuthorization: false, privacyContractName: '' }))
    if (this.state.get().step !== 'checking') return // closed meanwhile
    this.state.set({
      step: 'asking',
      needsAgreement: setting.needAuthorization,
      contractName: setting.privacyContractName || '《隐私保护指引》',
    })
  }

  /**
   * onAgreePrivacyAuthorization of the combined button (`buttonId` is its id): the guide is agreed
   * in this tap, so privacy APIs held until now (an avatar, a calendar write…) go on too. The
   * phone event follows.
   */
  agreed(buttonId: string): void {
    this.deps.privacyGate.agree(buttonId)
  }

  /** 不同意 / 暂不登录: browsing goes on. */
  decline(): void {
    const current = this.state.get()
    const message =
      current.step === 'asking' && current.needsAgreement
        ? phoneRefusalMessages.disagreed
        : phoneRefusalMessages.denied
    this.refuse(message)
  }

  /** onGetPhoneNumber of a combined button, the sheet's or a page's. */
  async phoneNumberEvent(detail: PhoneNumberDetail | undefined): Promise<MiniappUser | null> {
    const outcome = readPhoneEvent(detail)
    switch (outcome.kind) {
      case 'code':
        return this.bind(outcome.code, this.state.get().step === 'asking')
      case 'denied':
      case 'quota':
      case 'privacyRefused':
        this.refuse(phoneRefusalMessages[outcome.kind])
        return null
      case 'failed':
        this.fail('获取手机号失败，请稍后再试')
        return null
    }
  }

  close(): void {
    this.state.set({ step: 'closed' })
  }

  private async bind(code: string, inSheet: boolean): Promise<MiniappUser | null> {
    this.state.set({ step: 'binding', inSheet })
    try {
      const user = await this.deps.bindPhone(code)
      this.state.set({ step: 'bound', user })
      return user
    } catch (error) {
      this.fail(describeError(error))
      return null
    }
  }

  private refuse(message: string) {
    this.state.set({ step: 'refused', message })
    this.deps.platform.showToast(message)
  }

  private fail(message: string) {
    this.state.set({ step: 'failed', message })
    this.deps.platform.showToast(message, 'error')
  }
}
