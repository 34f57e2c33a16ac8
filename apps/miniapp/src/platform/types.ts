/**
 * Every WeChat call the app makes, behind one interface. The weapp build uses WeChat itself; the
 * H5 build uses the WeChat sandbox (login codes and phone codes from its control API, privacy and
 * scopes simulated in the browser). Nothing outside `src/platform` knows which one runs, and
 * tests hand the logic a fake.
 */

/** What wx.request can send that the API uses: WeChat has no PATCH (SPEC §6b). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface HttpRequest {
  method: HttpMethod
  /** an API path such as `/api/slots?date=2026-01-01` */
  path: string
  body?: unknown
  headers?: Record<string, string>
}

export interface HttpResponse {
  status: number
  /** the parsed JSON body, or null when there was none */
  body: unknown
}

export interface UploadRequest {
  path: string
  /** a temporary file path from WeChat (or a blob: URL in the browser) */
  filePath: string
  /** the multipart field name */
  field: string
  headers?: Record<string, string>
}

/** The request never got an answer (no network, DNS, timeout, TLS…). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
}

/** `e.detail` of a getPhoneNumber button event, as WeChat sends it. */
export interface PhoneNumberDetail {
  errMsg: string
  code?: string
  /** 1400001: the app's phone-number quota is used up */
  errno?: number
}

export interface PrivacySetting {
  needAuthorization: boolean
  privacyContractName: string
}

export type PrivacyResolution =
  | { event: 'exposureAuthorization' }
  | { event: 'agree'; buttonId: string }
  | { event: 'disagree' }

/** WeChat's onNeedPrivacyAuthorization listener: answer with `resolve` once the person chose. */
export type PrivacyRequestListener = (resolve: (resolution: PrivacyResolution) => void) => void

/** What a tap on a button with an open-type leads to, reported as WeChat's button events would be. */
export interface OpenTypeHandlers {
  onAgreePrivacyAuthorization?: () => void
  onGetPhoneNumber?: (detail: PhoneNumberDetail) => void
  onChooseAvatar?: (detail: { avatarUrl: string }) => void
}

export type OpenType = 'agreePrivacyAuthorization' | 'getPhoneNumber' | 'chooseAvatar'

export interface CalendarEvent {
  title: string
  /** seconds since the epoch */
  startTime: number
  endTime: number
  description?: string
}

/** What the subscribe-message sheet answered for one template. */
export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter'

export interface ModalOptions {
  title: string
  content: string
  confirmText?: string
  cancelText?: string
  showCancel?: boolean
}

export type ToastIcon = 'success' | 'error' | 'none'

export interface KeyValueStorage {
  get<T>(key: string): T | null
  set(key: string, value: unknown): void
  remove(key: string): void
}

export interface Platform {
  /** a fresh one-time login code (wx.login) */
  login(): Promise<string>
  /** the mini-program's app id, sent with the login code */
  appId(): Promise<string | undefined>
  storage: KeyValueStorage
  /** one HTTP exchange with the API; rejects with NetworkError only when no answer came back */
  request(request: HttpRequest): Promise<HttpResponse>
  upload(request: UploadRequest): Promise<HttpResponse>

  /**
   * Called on every tap of a button carrying an open-type. WeChat runs those buttons itself, so
   * the weapp build does nothing here; the sandbox reproduces what WeChat would do and reports it
   * through the same handlers the button's events use.
   */
  openTypeTapped(openTypes: readonly OpenType[], handlers: OpenTypeHandlers): void

  /**
   * A nickname input (`type="nickname"`) lost focus. WeChat reviews the text and reports through
   * the input's `nicknamereview` event, so the weapp build does nothing here; the sandbox passes
   * the review at once through `review`.
   */
  nicknameBlurred(review: (pass: boolean) => void): void

  getPrivacySetting(): Promise<PrivacySetting>
  onNeedPrivacyAuthorization(listener: PrivacyRequestListener): void
  openPrivacyContract(): Promise<void>

  /** the scopes the person has answered: true granted, false refused, absent never asked */
  getSetting(): Promise<Record<string, boolean>>
  /** asks for a scope; false when refused (or refused before: WeChat then fails without asking) */
  authorize(scope: string): Promise<boolean>
  /** WeChat's settings page (tap-only, like addPhoneCalendar); the scopes when the person comes back */
  openSetting(): Promise<Record<string, boolean>>
  /**
   * Tap-only (SPEC §6b): call it synchronously inside the tap handler, before any await. WeChat
   * asks for scope.addPhoneCalendar itself on the first call; 'refused' when the scope is refused.
   */
  addPhoneCalendar(event: CalendarEvent): Promise<'added' | 'refused'>
  /**
   * Tap-only (SPEC §6b): WeChat's subscribe-message sheet for these template ids (at most 3).
   * Each `accept` lets the server send one message of that template. Answers per id; none when
   * the sheet could not open (the person turned subscriptions off, an unknown template…).
   */
  requestSubscribeMessage(templateIds: string[]): Promise<Record<string, SubscribeAnswer>>

  /** a title too long to show beside an icon in WeChat (over 7 characters) is shown without it */
  showToast(title: string, icon?: ToastIcon): void
  /** true when confirmed */
  showModal(options: ModalOptions): Promise<boolean>
  showLoading(title: string): void
  hideLoading(): void
  /** hides the tab bar while a bottom sheet is open (a no-op off tab pages) */
  setTabBarVisible(visible: boolean): void
  /** ends the pull-down refresh animation once the page has reloaded */
  stopPullDownRefresh(): void

  /** the current page's route without a leading slash, e.g. `pages/home/index` */
  currentRoute(): string | null
  reLaunch(url: string): Promise<void>
  navigateTo(url: string): Promise<void>
  switchTab(url: string): Promise<void>
}
