import { createHash } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { WechatApp } from '../config'
import { AppError } from '../errors'
import { AccessTokenManager } from './accessToken'
import type { TemplateData } from './templateData'
import { callWechat, deadlineIn, WechatApiError, WechatErrcode, WechatNoAnswer } from './transport'

export interface WechatSession {
  openid: string
  unionid: string | null
  sessionKey: string
}

export interface WechatPhone {
  countryCode: string
  /** the national number, without the country code */
  number: string
}

/** One subscribe message (SPEC §6): to whom, which template, the page it opens, the key values. */
export interface SubscribeMessage {
  touser: string
  templateId: string
  /** a page of the mini-program, with its query (`pages/bookings/index?id=7`) */
  page?: string
  data: TemplateData
  /** which build the message opens; WeChat's default is the released one (`formal`) */
  miniprogramState?: 'developer' | 'trial' | 'formal'
}

/**
 * What became of a send, for a queue to act on. WeChat's send has no idempotency key, so only
 * `retry` may be sent again: WeChat answered busy (-1) or refused the token, or the request never
 * left. `unknown` means it may have been delivered and must never be repeated. `failed` is WeChat's
 * final refusal (43101, 47003, 40003, 40037, 41030, …): the person's accept is spent.
 */
export type SubscribeSendOutcome =
  | { outcome: 'sent' }
  | { outcome: 'failed'; errcode: number }
  | { outcome: 'retry'; errcode: number | null }
  | { outcome: 'unknown' }

const SUBSCRIBE_SEND = '/cgi-bin/message/subscribe/send'

export interface WechatClientOptions {
  apiBase: string
  apps: WechatApp[]
  timeoutMs: number
  log: FastifyBaseLogger
  redis: Redis | null
  redisPrefix: string
}

/**
 * The only module that talks to WeChat's server API (SPEC §6): code2Session, the access token,
 * the phone-number exchange and subscribe messages, each bounded by one timeout, with WeChat's
 * errcodes turned into the API's error codes (or, for a send, into an outcome a queue acts on).
 */
export class WechatClient {
  private readonly apps: Map<string, WechatApp>
  private readonly tokens: AccessTokenManager
  /** exchanges under way, by a hash of app and code */
  private readonly exchanges = new Map<string, Promise<WechatSession>>()

  constructor(private readonly options: WechatClientOptions) {
    this.apps = new Map(options.apps.map((app) => [app.appId, app]))
    this.tokens = new AccessTokenManager(
      options.apiBase,
      this.apps,
      options.log,
      options.redis,
      options.redisPrefix,
    )
  }

  /** The app a request means: `appId` when given, else the only configured one (SPEC §4). */
  resolveApp(appId?: string): WechatApp {
    if (appId !== undefined) {
      const app = this.apps.get(appId)
      if (!app) throw new AppError('UNKNOWN_APP')
      return app
    }
    const [only, ...others] = this.apps.values()
    if (!only || others.length > 0) throw new AppError('UNKNOWN_APP', '配置了多个小程序,请指定 appId')
    return only
  }

  /**
   * A login code is single-use (SPEC §6): concurrent requests with the same code share one
   * exchange, so a double tap is not turned into 40163. Once it has settled the code is forgotten:
   * sent again, it goes to WeChat, which refuses it as used, so a session is never handed to a
   * second caller, on this instance or any other.
   */
  code2Session(appId: string, code: string): Promise<WechatSession> {
    const key = createHash('sha256').update(`${appId}\0${code}`).digest('base64url')
    const inFlight = this.exchanges.get(key)
    if (inFlight) return inFlight
    const exchange = this.exchangeCode(appId, code)
    this.exchanges.set(key, exchange)
    const forget = () => this.exchanges.delete(key)
    exchange.then(forget, forget)
    return exchange
  }

  private async exchangeCode(appId: string, code: string): Promise<WechatSession> {
    const app = this.resolveApp(appId)
    try {
      const answer = await callWechat<{ openid: string; session_key: string; unionid?: string }>(
        this.options.apiBase,
        {
          method: 'GET',
          path: '/sns/jscode2session',
          query: { appid: app.appId, secret: app.secret, js_code: code, grant_type: 'authorization_code' },
        },
        deadlineIn(this.options.timeoutMs),
        this.options.log,
      )
      if (!answer.openid || !answer.session_key) throw new AppError('WECHAT_UNAVAILABLE')
      return { openid: answer.openid, unionid: answer.unionid ?? null, sessionKey: answer.session_key }
    } catch (error) {
      throw this.mapError(error, appId)
    }
  }

  /**
   * Exchanges a getPhoneNumber code. `openid` goes along so WeChat checks that the code was issued
   * to this person; the answer's watermark must name our app. A token WeChat calls invalid or
   * expired is dropped and the call made once more with a fresh one.
   */
  async getPhoneNumber(appId: string, code: string, openid: string): Promise<WechatPhone> {
    const app = this.resolveApp(appId)
    const deadline = deadlineIn(this.options.timeoutMs)
    try {
      for (let attempt = 1; ; attempt++) {
        const token = await this.tokens.get(app.appId, deadline)
        try {
          const answer = await callWechat<{ phone_info?: PhoneInfo }>(
            this.options.apiBase,
            {
              method: 'POST',
              path: '/wxa/business/getuserphonenumber',
              query: { access_token: token },
              body: { code, openid },
            },
            deadline,
            this.options.log,
          )
          return this.readPhone(app.appId, answer.phone_info)
        } catch (error) {
          const stale =
            error instanceof WechatApiError &&
            (error.errcode === WechatErrcode.invalidCredential ||
              error.errcode === WechatErrcode.accessTokenExpired)
          if (!stale || attempt > 1) throw error
          this.options.log.warn(
            { appId, errcode: error.errcode },
            'wechat refused the access token; refreshing',
          )
          await this.tokens.invalidate(app.appId, token)
        }
      }
    } catch (error) {
      throw this.mapError(error, appId)
    }
  }

  /**
   * Sends one subscribe message and classifies the outcome instead of throwing. WeChat's -1 is
   * retried by the transport within the timeout; a token WeChat calls invalid or expired is
   * dropped and the send made once more. Nothing else is repeated here.
   */
  async sendSubscribeMessage(appId: string, message: SubscribeMessage): Promise<SubscribeSendOutcome> {
    const app = this.resolveApp(appId)
    const { log, apiBase } = this.options
    const deadline = deadlineIn(this.options.timeoutMs)
    const body: Record<string, unknown> = {
      touser: message.touser,
      template_id: message.templateId,
      data: message.data,
    }
    if (message.page !== undefined) body.page = message.page
    if (message.miniprogramState !== undefined) body.miniprogram_state = message.miniprogramState
    for (let attempt = 1; ; attempt++) {
      let token: string
      try {
        token = await this.tokens.get(app.appId, deadline)
      } catch (error) {
        log.warn({ appId, err: (error as Error).message }, 'no wechat access token for a subscribe message')
        return { outcome: 'retry', errcode: null }
      }
      try {
        await callWechat(
          apiBase,
          { method: 'POST', path: SUBSCRIBE_SEND, query: { access_token: token }, body },
          deadline,
          log,
        )
        return { outcome: 'sent' }
      } catch (error) {
        if (error instanceof WechatNoAnswer) {
          return error.mayHaveArrived ? { outcome: 'unknown' } : { outcome: 'retry', errcode: null }
        }
        // anything unforeseen after the request may have left: treat it as possibly delivered
        if (!(error instanceof WechatApiError)) {
          log.error({ appId, err: error }, 'subscribe message send failed unexpectedly')
          return { outcome: 'unknown' }
        }
        const { errcode } = error
        const stale =
          errcode === WechatErrcode.invalidCredential || errcode === WechatErrcode.accessTokenExpired
        if (stale && attempt === 1) {
          log.warn({ appId, errcode }, 'wechat refused the access token; refreshing')
          const dropped = await this.tokens.invalidate(app.appId, token).then(
            () => true,
            () => false,
          )
          if (dropped) continue
        }
        if (stale || errcode === WechatErrcode.systemBusy) return { outcome: 'retry', errcode }
        log.warn({ appId, errcode, templateId: message.templateId }, 'wechat refused a subscribe message')
        return { outcome: 'failed', errcode }
      }
    }
  }

  private readPhone(appId: string, info: PhoneInfo | undefined): WechatPhone {
    if (!info?.purePhoneNumber || info.countryCode === undefined || info.countryCode === null) {
      this.options.log.warn({ appId }, 'wechat phone answer without phone_info')
      throw new AppError('WECHAT_UNAVAILABLE')
    }
    if (info.watermark?.appid !== appId) {
      this.options.log.warn({ appId }, 'wechat phone answer carries another app in its watermark')
      throw new AppError('WECHAT_UNAVAILABLE')
    }
    // countryCode has been seen both as "86" and as 86
    return { countryCode: String(info.countryCode), number: String(info.purePhoneNumber) }
  }

  private mapError(error: unknown, appId: string): Error {
    if (!(error instanceof WechatApiError)) return error as Error
    const { errcode, path } = error
    this.options.log.warn({ appId, wechatPath: path, errcode }, 'wechat refused the call')
    switch (errcode) {
      case WechatErrcode.invalidCode:
      case WechatErrcode.codeBeenUsed:
        return new AppError('WECHAT_CODE_INVALID')
      case WechatErrcode.highRiskUser:
        return new AppError('WECHAT_USER_BLOCKED')
      case WechatErrcode.rateLimited:
        return new AppError('RATE_LIMITED')
      default:
        return new AppError('WECHAT_UNAVAILABLE')
    }
  }
}

interface PhoneInfo {
  phoneNumber?: string
  purePhoneNumber?: string
  countryCode?: string | number | null
  watermark?: { timestamp?: number; appid?: string }
}
