/**
 * The person holding the phone: who they are to WeChat and how they answer WeChat's own sheets
 * and popups. Tests change the answers between steps.
 */
export interface Person {
  /** their openid for this app (the sandbox issues login codes for it) */
  openid: string
  unionid?: string
  /** the number WeChat offers in the getPhoneNumber sheet; null: the sheet is refused */
  phone: { number: string; countryCode?: string } | null
  /** WeChat's own privacy popup (used only when the app registers no listener) */
  agreesToPrivacyPopup: boolean
  /** scope → the answer to WeChat's authorization popup, when asked */
  scopeAnswers: Record<string, boolean>
  /** template id → the answer in the subscribe-message sheet (absent: accept) */
  subscribeAnswers: Record<string, 'accept' | 'reject' | 'ban' | 'filter'>
  /** the nickname WeChat's keyboard offers, and whether WeChat's review passes it */
  nicknameReview: 'pass' | 'fail'
}

export function newPerson(openid: string): Person {
  return {
    openid,
    phone: null,
    agreesToPrivacyPopup: true,
    scopeAnswers: {},
    subscribeAnswers: {},
    nicknameReview: 'pass',
  }
}
