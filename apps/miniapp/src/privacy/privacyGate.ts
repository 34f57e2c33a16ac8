import type { Platform, PrivacyResolution } from '@/platform/types'
import { createStore, type Store } from '@/session/store'
import { phoneRefusalMessages } from './phoneEvent'

/** The id of the popup's agree button: WeChat checks that this very button was tapped. */
export const AGREE_BUTTON_ID = 'privacy-agree'

export type PrivacyGateState = { open: false } | { open: true; contractName: string }

/**
 * onNeedPrivacyAuthorization: WeChat holds a privacy API (chooseAvatar, the nickname input, a
 * calendar write…) until the app's own popup gets an answer. One popup, whichever page shows it.
 */
export class PrivacyGate {
  readonly state: Store<PrivacyGateState> = createStore<PrivacyGateState>({ open: false })
  private pending: Array<(resolution: PrivacyResolution) => void> = []
  private listening = false
  private opening = false

  constructor(
    private readonly platform: Pick<
      Platform,
      'onNeedPrivacyAuthorization' | 'getPrivacySetting' | 'showToast'
    >,
  ) {}

  listen(): void {
    if (this.listening) return
    this.listening = true
    this.platform.onNeedPrivacyAuthorization((resolve) => {
      this.pending.push(resolve)
      // tells WeChat the popup was really shown to the person, once per held request
      if (this.state.get().open) resolve({ event: 'exposureAuthorization' })
      else if (!this.opening) void this.show()
    })
  }

  private async show() {
    this.opening = true
    const setting = await this.platform
      .getPrivacySetting()
      .catch(() => ({ needAuthorization: true, privacyContractName: '' }))
    this.opening = false
    // agreed meanwhile through another button (the combined 快捷登录 one): nothing waits
    if (this.pending.length === 0) return
    this.state.set({ open: true, contractName: setting.privacyContractName || '《隐私保护指引》' })
    for (const resolve of this.pending) resolve({ event: 'exposureAuthorization' })
  }

  /**
   * onAgreePrivacyAuthorization of a button: the popup's own, or the combined 快捷登录 button,
   * which agrees in the same tap. WeChat lets every held API go on once it is resolved with the id
   * of the button that was really tapped.
   */
  agree(buttonId: string = AGREE_BUTTON_ID): void {
    this.settle({ event: 'agree', buttonId })
  }

  disagree(): void {
    this.settle({ event: 'disagree' })
    this.platform.showToast(phoneRefusalMessages.disagreed)
  }

  private settle(resolution: PrivacyResolution) {
    const waiting = this.pending
    this.pending = []
    this.state.set({ open: false })
    for (const resolve of waiting) resolve(resolution)
  }
}
