import type { SandboxClock } from './clock'
import { SandboxInputError } from './input-error'
import { randomTemplateId } from './random'
import { fitsType, type TemplateValueType, typeOfKey } from './template-values'
import { fail, succeed, type WechatOutcome } from './wechat-errors'

/** A template has at most 5 keywords on WeChat's console. */
export const TEMPLATE_KEYS_MAX = 5
/** `wx.requestSubscribeMessage` takes at most 3 template ids a call. */
export const TEMPLATES_PER_REQUEST_MAX = 3
export const TEMPLATE_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$'
/** A mini-program page path, optionally with a query (`pages/bookings/index?id=7`). */
const PAGE_PATH = /^\/?[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/
const MINIPROGRAM_STATES = ['developer', 'trial', 'formal']
const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW']

export interface TemplateRequest {
  appId: string
  /** Default: a new random id shaped like WeChat's. Declaring a known id again replaces its keys. */
  templateId?: string
  /** WeChat's key names, whose prefix is the type: `thing1`, `time2`, `character_string3`. */
  keys: string[]
}

export interface DeclaredTemplate {
  templateId: string
  keys: { key: string; type: TemplateValueType }[]
}

/** What `wx.requestSubscribeMessage` answered `accept` for: one unused subscription per id. */
export interface SubscriptionRequest {
  appId: string
  openid: string
  templateIds: string[]
}

/** `POST /__sandbox/subscriptions/batch`: many people's accepts at once, for load generation. */
export interface SubscriptionsRequest {
  appId: string
  grants: Omit<SubscriptionRequest, 'appId'>[]
}

export interface UnusedSubscription {
  templateId: string
  unused: number
}

export interface PagesRequest {
  appId: string
  /** The app's pages (as in app.json); empty: any well-formed path is accepted. */
  pages: string[]
}

export interface SentMessage {
  appId: string
  touser: string
  templateId: string
  page: string | null
  data: Record<string, { value: string }>
  miniprogramState: string
  lang: string
  sentAt: string
}

export interface SubscribeSendBody {
  errcode: 0
  errmsg: 'ok'
}

const identity = (appId: string, openid: string) => `${appId}\n${openid}`

/**
 * Subscribe messages as WeChat keeps them: templates per app, one-time accepts per person and
 * template, and the messages sent.
 */
export class SubscribeMessages {
  private readonly templates = new Map<string, Map<string, DeclaredTemplate>>()
  private readonly pages = new Map<string, Set<string>>()
  /** identity → templateId → unused accepts */
  private readonly accepts = new Map<string, Map<string, number>>()
  private sent: SentMessage[] = []

  constructor(private readonly clock: SandboxClock) {}

  declareTemplate(request: TemplateRequest): DeclaredTemplate {
    const { keys } = request
    if (keys.length === 0 || keys.length > TEMPLATE_KEYS_MAX) {
      throw new SandboxInputError(`a template has 1 to ${TEMPLATE_KEYS_MAX} keys, got ${keys.length}`)
    }
    if (new Set(keys).size !== keys.length) throw new SandboxInputError('a template lists each key once')
    const typed = keys.map((key) => {
      const type = typeOfKey(key)
      if (type === null) {
        throw new SandboxInputError(
          `key ${key} is not a WeChat template key (a type such as thing, then a number)`,
        )
      }
      return { key, type }
    })
    const templateId = request.templateId ?? randomTemplateId()
    if (!new RegExp(TEMPLATE_ID_PATTERN).test(templateId)) {
      throw new SandboxInputError('templateId must be 1 to 64 letters, digits, _ or -')
    }
    const template = { templateId, keys: typed }
    let ofApp = this.templates.get(request.appId)
    if (ofApp === undefined) {
      ofApp = new Map()
      this.templates.set(request.appId, ofApp)
    }
    ofApp.set(templateId, template)
    return structuredClone(template)
  }

  declarePages(request: PagesRequest): { pages: string[] } {
    for (const page of request.pages) {
      if (!PAGE_PATH.test(page))
        throw new SandboxInputError(`page ${page} is not a page path like pages/home/index`)
    }
    const pages = new Set(request.pages.map((page) => page.replace(/^\//, '')))
    if (pages.size === 0) this.pages.delete(request.appId)
    else this.pages.set(request.appId, pages)
    return { pages: [...pages] }
  }

  /** Like a tap on 允许 for each template: one more unused subscription each, as accepts add up. */
  grant(request: SubscriptionRequest): UnusedSubscription[] {
    this.grantMany(request.appId, [request])
    return this.unused(request.appId, request.openid)
  }

  /** Many people's taps at once (load generation); the whole batch is checked before any is kept. */
  grantMany(appId: string, grants: readonly Omit<SubscriptionRequest, 'appId'>[]): number {
    const ofApp = this.templates.get(appId)
    for (const { openid, templateIds } of grants) {
      if (openid.trim() === '') throw new SandboxInputError('openid must not be empty')
      if (templateIds.length === 0 || templateIds.length > TEMPLATES_PER_REQUEST_MAX) {
        throw new SandboxInputError(`one request asks for 1 to ${TEMPLATES_PER_REQUEST_MAX} templates`)
      }
      for (const templateId of templateIds) {
        // wx.requestSubscribeMessage fails (20001) for an id the app's account does not have.
        if (ofApp?.has(templateId) !== true) {
          throw new SandboxInputError(`template ${templateId} is not declared for app ${appId}`)
        }
      }
    }
    let granted = 0
    for (const { openid, templateIds } of grants) {
      let counts = this.accepts.get(identity(appId, openid))
      if (counts === undefined) {
        counts = new Map()
        this.accepts.set(identity(appId, openid), counts)
      }
      for (const templateId of new Set(templateIds)) {
        counts.set(templateId, (counts.get(templateId) ?? 0) + 1)
        granted += 1
      }
    }
    return granted
  }

  /** The person's unused subscriptions, one entry per template they ever accepted. */
  unused(appId: string, openid: string): UnusedSubscription[] {
    const counts = this.accepts.get(identity(appId, openid)) ?? new Map<string, number>()
    return [...counts].map(([templateId, unused]) => ({ templateId, unused }))
  }

  hasSubscriber(appId: string, openid: string): boolean {
    return this.accepts.has(identity(appId, openid))
  }

  /**
   * `POST /cgi-bin/message/subscribe/send` for the token's app. `knownOpenid` tells whether WeChat
   * knows `touser` as a user of that app. An accept, once found, is spent whatever the rest of the
   * send decides (SPEC §6: only -1 and token errors leave it, and those are decided before this).
   */
  send(
    appId: string,
    body: Record<string, unknown>,
    knownOpenid: (openid: string) => boolean,
  ): WechatOutcome<SubscribeSendBody> {
    const touser = body.touser
    if (typeof touser !== 'string' || touser === '' || !knownOpenid(touser)) return fail(40003)
    const templateId = body.template_id
    const template = typeof templateId === 'string' ? this.templates.get(appId)?.get(templateId) : undefined
    if (template === undefined) return fail(40037)
    const counts = this.accepts.get(identity(appId, touser))
    const unused = counts?.get(template.templateId) ?? 0
    if (counts === undefined || unused === 0) return fail(43101)
    counts.set(template.templateId, unused - 1)

    const page = body.page
    if (page !== undefined && page !== '' && !this.isPage(appId, page)) return fail(41030)
    const miniprogramState = body.miniprogram_state ?? 'formal'
    const lang = body.lang ?? 'zh_CN'
    if (!MINIPROGRAM_STATES.includes(miniprogramState as string) || !LANGS.includes(lang as string)) {
      return fail(47001)
    }
    const data = readData(template, body.data)
    if (!data.ok) return data
    this.sent.push({
      appId,
      touser,
      templateId: template.templateId,
      page: typeof page === 'string' && page !== '' ? page : null,
      data: data.body,
      miniprogramState: miniprogramState as string,
      lang: lang as string,
      sentAt: new Date(this.clock.now()).toISOString(),
    })
    return succeed({ errcode: 0, errmsg: 'ok' })
  }

  /** Messages sent so far, oldest first; only those to `touser` when given. */
  messages(touser?: string): SentMessage[] {
    const chosen = touser === undefined ? this.sent : this.sent.filter((message) => message.touser === touser)
    return structuredClone(chosen)
  }

  clear(): void {
    this.templates.clear()
    this.pages.clear()
    this.accepts.clear()
    this.sent = []
  }

  private isPage(appId: string, page: unknown): boolean {
    if (typeof page !== 'string') return false
    const path = page.split('?', 1)[0]!
    if (!PAGE_PATH.test(path)) return false
    const pages = this.pages.get(appId)
    return pages === undefined || pages.has(path.replace(/^\//, ''))
  }
}

/** Every key of the template must carry a value that fits its type; keys the template lacks are ignored. */
function readData(
  template: DeclaredTemplate,
  data: unknown,
): WechatOutcome<Record<string, { value: string }>> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail(47003, 'argument invalid! data is empty')
  }
  const given = data as Record<string, unknown>
  const read: Record<string, { value: string }> = {}
  for (const { key, type } of template.keys) {
    const entry = given[key]
    const raw = typeof entry === 'object' && entry !== null ? (entry as { value?: unknown }).value : undefined
    const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : ''
    if (value === '') return fail(47003, `argument invalid! data.${key}.value is empty`)
    if (!fitsType(type, value)) return fail(47003, `argument invalid! data.${key}.value invalid`)
    read[key] = { value }
  }
  return succeed(read)
}
