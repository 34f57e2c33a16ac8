import { vi } from 'vitest'
import type { HttpResponse, Platform } from '@/platform/types'

/** A platform with every call recorded and harmless defaults; tests override what they need. */
export function fakePlatform(overrides: Partial<Platform> = {}): Platform {
  const stored = new Map<string, unknown>()
  const base: Platform = {
    login: vi.fn(async () => 'login-code'),
    appId: vi.fn(async () => 'wxtest'),
    storage: {
      get: <T>(key: string) => (stored.has(key) ? (stored.get(key) as T) : null),
      set: (key, value) => void stored.set(key, value),
      remove: (key) => void stored.delete(key),
    },
    request: vi.fn(async (): Promise<HttpResponse> => ({ status: 200, body: {} })),
    upload: vi.fn(async (): Promise<HttpResponse> => ({ status: 200, body: {} })),
    openTypeTapped: vi.fn(),
    nicknameBlurred: vi.fn(),
    getPrivacySetting: vi.fn(async () => ({ needAuthorization: false, privacyContractName: '《指引》' })),
    onNeedPrivacyAuthorization: vi.fn(),
    openPrivacyContract: vi.fn(async () => {}),
    getSetting: vi.fn(async () => ({})),
    authorize: vi.fn(async () => true),
    openSetting: vi.fn(async () => ({})),
    addPhoneCalendar: vi.fn(async () => 'added' as const),
    requestSubscribeMessage: vi.fn(async () => ({})),
    showToast: vi.fn(),
    showModal: vi.fn(async () => true),
    showLoading: vi.fn(),
    hideLoading: vi.fn(),
    setTabBarVisible: vi.fn(),
    stopPullDownRefresh: vi.fn(),
    currentRoute: vi.fn(() => null),
    reLaunch: vi.fn(async () => {}),
    navigateTo: vi.fn(async () => {}),
    switchTab: vi.fn(async () => {}),
  }
  return { ...base, ...overrides }
}

export function errorBody(code: string, message = code) {
  return { error: { code, message, requestId: 'req-1' } }
}

/** A promise with its resolve exposed, to hold a fake call open while others pile up. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
