import { AccessTokens } from './access-tokens'
import type { AppCredentials } from './apps'
import { BULK_CODES_MAX } from './bulk'
import { SandboxClock } from './clock'
import { FaultQueue, type FaultRequest } from './faults'
import { SandboxInputError } from './input-error'
import {
  type IssuedLoginCode,
  type LoginCodeRequest,
  LoginCodes,
  type LoginCodesRequest,
} from './login-codes'
import {
  type IssuedPhoneCode,
  type PhoneCodeRequest,
  PhoneCodes,
  type PhoneCodesRequest,
} from './phone-codes'
import type { StartupTemplate } from './startup-templates'
import { CallStats, type SandboxStats } from './stats'
import {
  type DeclaredTemplate,
  type PagesRequest,
  type SentMessage,
  SubscribeMessages,
  type SubscriptionRequest,
  type SubscriptionsRequest,
  type TemplateRequest,
  type UnusedSubscription,
} from './subscribe-messages'
import { fail, succeed, type WechatOutcome } from './wechat-errors'

/**
 * Everything the sandbox remembers. The control API and the in-process helpers both call
 * these methods, so tests that skip HTTP see exactly what HTTP clients see.
 */
export class SandboxState {
  readonly clock = new SandboxClock()
  readonly loginCodes = new LoginCodes(this.clock)
  readonly phoneCodes = new PhoneCodes(this.clock)
  readonly accessTokens = new AccessTokens(this.clock)
  readonly subscribeMessages = new SubscribeMessages(this.clock)
  readonly faults = new FaultQueue()
  readonly callStats = new CallStats()
  readonly apps: readonly AppCredentials[]
  private readonly secrets: Map<string, string>

  constructor(
    apps: readonly AppCredentials[],
    private readonly startupTemplates: readonly StartupTemplate[] = [],
  ) {
    if (apps.length === 0) throw new Error('the sandbox needs at least one app')
    this.apps = apps.map((app) => ({ ...app }))
    this.secrets = new Map(apps.map((app) => [app.appId, app.secret]))
    if (this.secrets.size !== apps.length) throw new Error('an appId is listed twice')
    this.declareStartupTemplates()
  }

  get appIds(): string[] {
    return [...this.secrets.keys()]
  }

  /** WeChat checks the appid before the secret, so an unknown app never reveals whether a secret matched. */
  checkCredentials(appId: string, secret: string): WechatOutcome<void> {
    const expected = this.secrets.get(appId)
    if (expected === undefined) return fail(40013)
    if (expected !== secret) return fail(40125)
    return succeed(undefined)
  }

  issueLoginCode(request: LoginCodeRequest): IssuedLoginCode {
    this.requireApp(request.appId)
    requireNonEmpty('openid', request.openid)
    requireNonEmpty('unionid', request.unionid)
    return this.loginCodes.issue(request)
  }

  issuePhoneCode(request: PhoneCodeRequest): IssuedPhoneCode {
    this.requireApp(request.appId)
    requireNonEmpty('openid', request.openid)
    requireNonEmpty('watermarkAppId', request.watermarkAppId)
    return this.phoneCodes.issue(request)
  }

  /** Codes for many identities at once (load generation); all or nothing. */
  issueLoginCodes(request: LoginCodesRequest): IssuedLoginCode[] {
    this.requireApp(request.appId)
    requireBatchSize(request.identities.length)
    for (const identity of request.identities) {
      requireNonEmpty('openid', identity.openid)
      requireNonEmpty('unionid', identity.unionid)
    }
    return this.loginCodes.issueMany(request.appId, request.identities)
  }

  /** getPhoneNumber codes for many numbers at once (load generation); all or nothing. */
  issuePhoneCodes(request: PhoneCodesRequest): IssuedPhoneCode[] {
    this.requireApp(request.appId)
    requireBatchSize(request.phones.length)
    for (const phone of request.phones) {
      requireNonEmpty('openid', phone.openid)
      requireNonEmpty('watermarkAppId', phone.watermarkAppId)
    }
    return this.phoneCodes.issueMany(request.appId, request.phones)
  }

  /** A subscribe-message template of the app's account, with its keys (and so their types). */
  declareTemplate(request: TemplateRequest): DeclaredTemplate {
    this.requireApp(request.appId)
    return this.subscribeMessages.declareTemplate(request)
  }

  /** The app's pages, which a message's `page` must be one of (41030 otherwise). */
  declarePages(request: PagesRequest): { pages: string[] } {
    this.requireApp(request.appId)
    return this.subscribeMessages.declarePages(request)
  }

  /** What `wx.requestSubscribeMessage` answered `accept` for: one unused subscription per template. */
  grantSubscriptions(request: SubscriptionRequest): { subscriptions: UnusedSubscription[] } {
    this.requireApp(request.appId)
    return { subscriptions: this.subscribeMessages.grant(request) }
  }

  /** Accepts for many people at once (load generation); all or nothing. Answers how many were added. */
  grantSubscriptionsInBulk(request: SubscriptionsRequest): { granted: number } {
    this.requireApp(request.appId)
    requireBatchSize(request.grants.length)
    return { granted: this.subscribeMessages.grantMany(request.appId, request.grants) }
  }

  unusedSubscriptions(appId: string, openid: string): { subscriptions: UnusedSubscription[] } {
    this.requireApp(appId)
    return { subscriptions: this.subscribeMessages.unused(appId, openid) }
  }

  /** WeChat knows an openid of the app once the person logged in or subscribed. */
  knowsOpenid(appId: string, openid: string): boolean {
    return this.loginCodes.knows(appId, openid) || this.subscribeMessages.hasSubscriber(appId, openid)
  }

  sentMessages(touser?: string): { messages: SentMessage[] } {
    return { messages: this.subscribeMessages.messages(touser) }
  }

  addFault(request: FaultRequest): { id: string } {
    return this.faults.add(request)
  }

  clearFaults(): void {
    this.faults.clear()
  }

  stats(): SandboxStats {
    return this.callStats.snapshot()
  }

  /**
   * Forgets codes, tokens, templates, subscriptions, messages, faults, stats and the clock offset;
   * the configured apps and start-up templates stay.
   */
  reset(): void {
    this.subscribeMessages.clear()
    this.declareStartupTemplates()
    this.loginCodes.clear()
    this.phoneCodes.clear()
    this.accessTokens.clear()
    this.faults.clear()
    this.callStats.clear()
    this.clock.reset()
  }

  advanceClock(ms: number): { now: number } {
    if (!Number.isInteger(ms) || ms < 0)
      throw new SandboxInputError('advanceMs must be a non-negative integer')
    return { now: this.clock.advance(ms) }
  }

  revokeTokens(appId: string): { revoked: number } {
    this.requireApp(appId)
    return { revoked: this.accessTokens.revoke(appId) }
  }

  private declareStartupTemplates(): void {
    for (const appId of this.secrets.keys()) {
      for (const template of this.startupTemplates)
        this.subscribeMessages.declareTemplate({ appId, ...template })
    }
  }

  private requireApp(appId: string): void {
    if (!this.secrets.has(appId)) {
      throw new SandboxInputError(`unknown appId ${appId}; configured: ${this.appIds.join(', ')}`)
    }
  }
}

function requireBatchSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > BULK_CODES_MAX) {
    throw new SandboxInputError(`a batch holds 1 to ${BULK_CODES_MAX} items, got ${size}`)
  }
}

function requireNonEmpty(field: string, value: string | undefined): void {
  if (value !== undefined && value.trim() === '') throw new SandboxInputError(`${field} must not be empty`)
}
