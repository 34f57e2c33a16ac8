import type { PrivacyRequestListener, PrivacyResolution, PrivacySetting } from '../types'

/**
 * WeChat's privacy check (`__usePrivacyCheck__`), simulated: until the person agrees, a privacy
 * API or component first raises onNeedPrivacyAuthorization and waits for the app's popup.
 */
const AGREED_KEY = 'yuyue.sandbox.privacyAgreed'
const CONTRACT_NAME = '《预约小程序隐私保护指引》'

let listener: PrivacyRequestListener | null = null

export function privacyAgreed(): boolean {
  return localStorage.getItem(AGREED_KEY) === '1'
}

export function recordAgreement(): void {
  localStorage.setItem(AGREED_KEY, '1')
}

export function privacySetting(): PrivacySetting {
  return { needAuthorization: !privacyAgreed(), privacyContractName: CONTRACT_NAME }
}

export function setPrivacyListener(next: PrivacyRequestListener): void {
  listener = next
}

/** What a privacy API does before running: true when it may go on. */
export function requirePrivacy(): Promise<boolean> {
  if (privacyAgreed()) return Promise.resolve(true)
  // without a listener WeChat shows its own popup; the sandbox takes that as agreed
  if (!listener) {
    recordAgreement()
    return Promise.resolve(true)
  }
  const ask = listener
  return new Promise((resolve) => {
    ask((resolution: PrivacyResolution) => {
      if (resolution.event === 'exposureAuthorization') return
      // WeChat also checks that the agree button was really tapped; the tap recorded it
      if (resolution.event === 'agree' && privacyAgreed()) resolve(true)
      else resolve(false)
    })
  })
}
