import { answer, type Callbacks, fail, type WxError } from './callbacks'
import type { CanvasNode } from './canvas'
import type { Gesture } from './gesture'
import type { Network, RequestOptions, UploadOptions } from './network'
import type { Person } from './person'
import type { PrivacyGate, PrivacyListener } from './privacy'
import type { Storage } from './storage'
import type { Screen } from './ui'

export type NavigationKind = 'reLaunch' | 'navigateTo' | 'redirectTo' | 'switchTab' | 'navigateBack'

/** The part of the host wx's navigation and page APIs need. */
export interface Navigator {
  navigate(kind: NavigationKind, options: { url?: string; delta?: number }): Promise<void>
  isTabPage(): boolean
  stopPullDownRefresh(): void
}

/** An element of the current page as a selector query sees it. */
export interface QueriedNode {
  id: string
  tag: string
  /** the `type` attribute (`2d` for a Canvas 2D) */
  type: unknown
  /** the Canvas node of a `<canvas type="2d">`, the same object for the same element */
  canvas(): CanvasNode
}

export interface WxDeps {
  /** the current page's element with this id, or null */
  nodeById(id: string): QueriedNode | null
  appId: string
  sandboxUrl: string
  person: Person
  gesture: Gesture
  privacy: PrivacyGate
  network: Network
  storage: Storage
  screen: Screen
  navigator: Navigator
  /** scanned codes waiting for wx.scanCode, oldest first; empty: the person cancels */
  scans: string[]
  /** what the person's calendar received */
  calendar: CalendarEntry[]
  /** every wx.requestSubscribeMessage that opened its sheet, with the answers */
  subscriptions: Record<string, string>[]
  /** scope → granted (true) or refused (false); absent: never asked */
  authSetting: Record<string, boolean>
}

export interface CalendarEntry {
  title: string
  startTime: number
  endTime?: number
  description?: string
}

type Options<T = object> = Callbacks<T> & Record<string, unknown>

async function sandboxPost<T>(sandboxUrl: string, path: string, body: object): Promise<T> {
  const response = await fetch(`${sandboxUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** A fresh wx.login code for the person, from the sandbox that plays WeChat's servers. */
export async function loginCode(deps: Pick<WxDeps, 'appId' | 'sandboxUrl' | 'person'>): Promise<string> {
  const { code } = await sandboxPost<{ code: string }>(deps.sandboxUrl, '/__sandbox/login-code', {
    appId: deps.appId,
    openid: deps.person.openid,
    ...(deps.person.unionid ? { unionid: deps.person.unionid } : {}),
  })
  return code
}

/** The getPhoneNumber sheet: a code for the person's number, or their refusal. */
export async function phoneNumberDetail(
  deps: Pick<WxDeps, 'appId' | 'sandboxUrl' | 'person'>,
): Promise<{ errMsg: string; code?: string }> {
  const phone = deps.person.phone
  if (!phone) return { errMsg: 'getPhoneNumber:fail user deny' }
  const { code } = await sandboxPost<{ code: string }>(deps.sandboxUrl, '/__sandbox/phone-code', {
    appId: deps.appId,
    phoneNumber: phone.number,
    countryCode: phone.countryCode ?? '86',
    openid: deps.person.openid,
  })
  return { errMsg: 'getPhoneNumber:ok', code }
}

function typeError(api: string, field: string, expected: string, value: unknown): WxError {
  const actual =
    value === undefined ? 'Undefined' : (Object.prototype.toString.call(value).slice(8, -1) as string)
  return fail(api, `parameter error: parameter.${field} should be ${expected} instead of ${actual};`)
}

/** The `wx` object: every API the app (and Taro) uses, each as strict as WeChat documents it. */
export function createWx(deps: WxDeps) {
  const { gesture, privacy, storage, screen, navigator } = deps
  let webpackJsonp: unknown

  function navigation(kind: Exclude<NavigationKind, 'navigateBack'>) {
    return (options: Options & { url: string }) =>
      answer(kind, options, async () => {
        await navigator.navigate(kind, options)
        return {}
      })
  }

  function scope(name: string): boolean {
    if (!(name in deps.authSetting)) deps.authSetting[name] = deps.person.scopeAnswers[name] ?? true
    return deps.authSetting[name]!
  }

  const wx = {
    // Taro keeps its chunk registry here: a plain settable property
    get webpackJsonp() {
      return webpackJsonp
    },
    set webpackJsonp(value: unknown) {
      webpackJsonp = value
    },

    // ---- base -----------------------------------------------------------------------------
    canIUse: (schema: string) =>
      typeof (wx as Record<string, unknown>)[schema.split('.')[0]!] !== 'undefined',
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: (options?: Options) => answer('getSystemInfo', options, systemInfo),
    getWindowInfo: () => {
      const { windowWidth, windowHeight, pixelRatio, screenWidth, screenHeight, statusBarHeight } =
        systemInfo()
      return { windowWidth, windowHeight, pixelRatio, screenWidth, screenHeight, statusBarHeight }
    },
    getAppBaseInfo: () => ({ SDKVersion: '3.4.0', language: 'zh_CN', version: '8.0.50', theme: 'light' }),
    getDeviceInfo: () => ({ platform: 'ios', system: 'iOS 10.3', brand: 'iPhone', model: 'iPhone 6' }),
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: 24,
      bottom: 56,
      left: 281,
      right: 368,
    }),
    nextTick: (callback: () => void) => setTimeout(callback, 0),
    getAccountInfoSync: () => ({
      miniProgram: { appId: deps.appId, envVersion: 'develop', version: '' },
      plugin: {},
    }),
    onAppRoute: () => {},
    onAppShow: () => {},
    onAppHide: () => {},
    onError: () => {},
    onUnhandledRejection: () => {},

    // ---- storage --------------------------------------------------------------------------
    setStorageSync: (key: string, data: unknown) => storage.set(key, data),
    getStorageSync: (key: string) => storage.get(key),
    removeStorageSync: (key: string) => storage.remove(key),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({
      keys: storage.keys(),
      currentSize: Math.ceil(storage.bytes() / 1024),
      limitSize: 10240,
    }),
    setStorage: (options: Options & { key: string; data: unknown }) =>
      answer('setStorage', options, () => {
        storage.set(options.key, options.data)
        return {}
      }),
    getStorage: (options: Options & { key: string }) =>
      answer('getStorage', options, () => {
        const data = storage.get(options.key)
        if (data === '') throw fail('getStorage', 'data not found')
        return { data }
      }),
    removeStorage: (options: Options & { key: string }) =>
      answer('removeStorage', options, () => {
        storage.remove(options.key)
        return {}
      }),

    // ---- open APIs ------------------------------------------------------------------------
    login: (options?: Options) => answer('login', options, async () => ({ code: await loginCode(deps) })),
    checkSession: (options?: Options) => answer('checkSession', options, () => ({})),

    getPrivacySetting: (options?: Options) =>
      answer('getPrivacySetting', options, () => ({
        needAuthorization: privacy.needsAuthorization(),
        privacyContractName: '《预约小程序隐私保护指引》',
      })),
    onNeedPrivacyAuthorization: (listener: PrivacyListener) => privacy.setListener(listener),
    requirePrivacyAuthorize: (options?: Options) =>
      answer('requirePrivacyAuthorize', options, async () => {
        await privacy.require('requirePrivacyAuthorize')
        return {}
      }),
    openPrivacyContract: (options?: Options) => answer('openPrivacyContract', options, () => ({})),

    getSetting: (options?: Options) =>
      answer('getSetting', options, () => ({ authSetting: { ...deps.authSetting } })),
    authorize: (options: Options & { scope: string }) =>
      answer('authorize', options, () => {
        // a scope refused once fails at once: only the settings page can grant it now
        const before = deps.authSetting[options.scope]
        if (before === false) throw fail('authorize', 'auth deny')
        if (!scope(options.scope)) throw fail('authorize', 'auth deny')
        return {}
      }),
    openSetting: (options?: Options) => {
      const refused = gesture.refusal('openSetting')
      answer('openSetting', options, () => {
        if (refused) throw refused
        // on the settings page the person turns on what they had refused, if they want it now
        for (const [name, granted] of Object.entries(deps.authSetting)) {
          if (!granted && deps.person.scopeAnswers[name] !== false) deps.authSetting[name] = true
        }
        return { authSetting: { ...deps.authSetting } }
      })
    },

    addPhoneCalendar: (options: Options & Partial<CalendarEntry>) => {
      // judged at the call: after an await the gesture is over
      const refused = gesture.refusal('addPhoneCalendar')
      answer('addPhoneCalendar', options, async () => {
        if (refused) throw refused
        if (typeof options.title !== 'string' || options.title === '')
          throw typeError('addPhoneCalendar', 'title', 'String', options.title)
        if (typeof options.startTime !== 'number')
          throw typeError('addPhoneCalendar', 'startTime', 'Number', options.startTime)
        if (options.endTime !== undefined && typeof options.endTime !== 'number')
          throw typeError('addPhoneCalendar', 'endTime', 'Number', options.endTime)
        await privacy.require('addPhoneCalendar')
        if (!scope('scope.addPhoneCalendar')) throw fail('addPhoneCalendar', 'auth deny')
        deps.calendar.push({
          title: options.title,
          startTime: options.startTime,
          endTime: options.endTime,
          description: options.description as string | undefined,
        })
        return {}
      })
    },

    requestSubscribeMessage: (options: Options & { tmplIds?: unknown }) => {
      const refused = gesture.refusal('requestSubscribeMessage')
      answer('requestSubscribeMessage', options, () => {
        if (refused) throw { ...refused, errCode: 20004 }
        const ids = options.tmplIds
        if (!Array.isArray(ids) || ids.length === 0)
          throw fail('requestSubscribeMessage', 'parameter error: tmplIds should not be empty', {
            errCode: 10001,
          })
        if (ids.length > 3)
          throw fail('requestSubscribeMessage', 'tmplIds count exceeds the limit of 3', { errCode: 20003 })
        const answers: Record<string, string> = {}
        for (const id of ids as string[]) answers[id] = deps.person.subscribeAnswers[id] ?? 'accept'
        deps.subscriptions.push(answers)
        return answers
      })
    },

    scanCode: (options?: Options) =>
      answer('scanCode', options, () => {
        const result = deps.scans.shift()
        if (result === undefined) throw fail('scanCode', 'cancel')
        return {
          result,
          scanType: 'QR_CODE',
          charSet: 'utf-8',
          rawData: Buffer.from(result).toString('base64'),
        }
      }),

    createSelectorQuery: () => selectorQuery(deps.nodeById),

    // ---- network --------------------------------------------------------------------------
    request: (options: RequestOptions) => {
      answer('request', options, () => deps.network.request(options))
      return { abort: () => {}, onHeadersReceived: () => {}, offHeadersReceived: () => {} }
    },
    uploadFile: (options: UploadOptions) => {
      answer('uploadFile', options, () => deps.network.upload(options))
      return { abort: () => {}, onProgressUpdate: () => {}, offProgressUpdate: () => {} }
    },

    // ---- what the person sees -------------------------------------------------------------
    showToast: (options: Options & { title?: string }) =>
      answer('showToast', options, () => {
        screen.toasts.push(String(options.title ?? ''))
        return {}
      }),
    hideToast: (options?: Options) => answer('hideToast', options, () => ({})),
    showLoading: (options: Options & { title?: string }) =>
      answer('showLoading', options, () => {
        screen.loading = String(options.title ?? '')
        return {}
      }),
    hideLoading: (options?: Options) =>
      answer('hideLoading', options, () => {
        screen.loading = null
        return {}
      }),
    showModal: (
      options: Options<{ confirm: boolean; cancel: boolean }> & {
        title?: string
        content?: string
        confirmText?: string
        cancelText?: string
        showCancel?: boolean
      },
    ) => {
      let answered = false
      const close = (confirm: boolean) => {
        if (answered) return
        answered = true
        screen.modals.splice(screen.modals.indexOf(modal), 1)
        answer('showModal', options, () => ({ confirm, cancel: !confirm }))
      }
      const modal = {
        title: String(options.title ?? ''),
        content: String(options.content ?? ''),
        confirmText: String(options.confirmText ?? '确定'),
        cancelText: String(options.cancelText ?? '取消'),
        showCancel: options.showCancel !== false,
        confirm: () => close(true),
        cancel: () => close(false),
      }
      screen.modals.push(modal)
    },
    showTabBar: (options?: Options) =>
      answer('showTabBar', options, () => {
        if (!navigator.isTabPage()) throw fail('showTabBar', 'not TabBar page')
        screen.tabBarVisible = true
        return {}
      }),
    hideTabBar: (options?: Options) =>
      answer('hideTabBar', options, () => {
        if (!navigator.isTabPage()) throw fail('hideTabBar', 'not TabBar page')
        screen.tabBarVisible = false
        return {}
      }),
    stopPullDownRefresh: (options?: Options) =>
      answer('stopPullDownRefresh', options, () => {
        navigator.stopPullDownRefresh()
        return {}
      }),
    setNavigationBarTitle: (options: Options) => answer('setNavigationBarTitle', options, () => ({})),

    // ---- navigation ----------------------------------------------------------------------
    reLaunch: navigation('reLaunch'),
    navigateTo: navigation('navigateTo'),
    redirectTo: navigation('redirectTo'),
    switchTab: navigation('switchTab'),
    navigateBack: (options?: Options & { delta?: number }) =>
      answer('navigateBack', options, async () => {
        await navigator.navigate('navigateBack', { delta: options?.delta ?? 1 })
        return {}
      }),
  }
  return wx
}

export type Wx = ReturnType<typeof createWx>

function systemInfo() {
  return {
    brand: 'iPhone',
    model: 'iPhone 6',
    pixelRatio: 2,
    screenWidth: 375,
    screenHeight: 667,
    windowWidth: 375,
    windowHeight: 603,
    statusBarHeight: 20,
    language: 'zh_CN',
    version: '8.0.50',
    system: 'iOS 10.3',
    platform: 'ios',
    SDKVersion: '3.4.0',
    theme: 'light',
  }
}

interface FieldsRequest {
  id?: boolean
  dataset?: boolean
  node?: boolean
  size?: boolean
  rect?: boolean
  [field: string]: unknown
}

/**
 * wx.createSelectorQuery: `select('#id').fields({node: true})` then `exec`, answered on a later
 * turn with one entry per request, null for a selector that matched nothing. `node` is a Canvas
 * only for `<canvas type="2d">` (null otherwise). Layout (`size`, `rect`, boundingClientRect) is not
 * modelled and fails loudly. Only `#id` selectors are modelled.
 * https://developers.weixin.qq.com/miniprogram/dev/api/wxml/SelectorQuery.html
 */
function selectorQuery(nodeById: WxDeps['nodeById']) {
  const requests: { selector: string; fields: FieldsRequest; callback?: (answer: unknown) => void }[] = []

  function resolve(selector: string, fields: FieldsRequest): unknown {
    const id = /^#([\w-]+)$/.exec(selector)?.[1]
    if (!id) throw new Error(`selector ${JSON.stringify(selector)} is not modelled (only #id)`)
    if (fields.size || fields.rect) throw new Error('layout (size, rect) is not modelled')
    const found = nodeById(id)
    if (!found) return null
    const answer: Record<string, unknown> = {}
    if (fields.id) answer.id = found.id
    if (fields.dataset) answer.dataset = {}
    if (fields.node) answer.node = found.tag === 'canvas' && found.type === '2d' ? found.canvas() : null
    return answer
  }

  const query = {
    in: () => query,
    select(selector: string) {
      const add = (fields: FieldsRequest, callback?: (answer: unknown) => void) => {
        requests.push({ selector, fields, callback })
        return query
      }
      return {
        fields: (fields: FieldsRequest, callback?: (answer: unknown) => void) => add(fields, callback),
        node: (callback?: (answer: unknown) => void) => add({ node: true }, callback),
      }
    },
    exec(callback?: (answers: unknown[]) => void) {
      // read from the view as it is now, reported on a later turn as WeChat does
      const answers = requests.map((r) => resolve(r.selector, r.fields))
      setTimeout(() => {
        requests.forEach((r, i) => {
          r.callback?.(answers[i])
        })
        callback?.(answers)
      }, 0)
      return query
    },
  }
  return query
}
