import http from 'node:http'
import https from 'node:https'
import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../errors'

/** WeChat's documented errcodes that this product reacts to (SPEC §6). */
export const WechatErrcode = {
  systemBusy: -1,
  invalidCredential: 40001,
  invalidAppId: 40013,
  invalidCode: 40029,
  invalidSecret: 40125,
  codeBeenUsed: 40163,
  highRiskUser: 40226,
  accessTokenExpired: 42001,
  dailyQuotaReached: 45009,
  rateLimited: 45011,
  invalidOpenid: 40003,
  invalidTemplate: 40037,
  invalidPage: 41030,
  noSubscription: 43101,
  templateDataMismatch: 47003,
} as const

/** WeChat answered, with an errcode other than 0. */
export class WechatApiError extends Error {
  override name = 'WechatApiError'
  constructor(
    readonly path: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${path} answered errcode ${errcode}`)
  }
}

/**
 * WeChat gave no answer: no connection, no time left, a timeout, a gateway's HTTP error, a body
 * that is not JSON. `mayHaveArrived` is false only when the request certainly never reached
 * WeChat, which is what a caller needs before repeating a call that is not idempotent.
 */
export class WechatNoAnswer extends AppError {
  constructor(
    code: 'WECHAT_TIMEOUT' | 'WECHAT_UNAVAILABLE',
    readonly mayHaveArrived: boolean,
  ) {
    super(code)
  }
}

/** Errors raised before a connection exists: the request was never sent. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

export interface Deadline {
  /** epoch ms after which the whole operation (all attempts) has failed */
  at: number
}

export function deadlineIn(ms: number): Deadline {
  return { at: Date.now() + ms }
}

const timeLeft = (deadline: Deadline) => deadline.at - Date.now()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const RETRY_DELAYS_MS = [100, 300, 700]

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }

class ExchangeTimeout extends Error {
  override name = 'TimeoutError'
}

/**
 * One HTTP exchange over a kept-alive connection, abandoned after `timeoutMs`. Plain node:http
 * rather than fetch: the timer is cleared the moment the answer is in, where an
 * AbortSignal.timeout() would keep the request and its answer alive until it fired (5 s of
 * garbage per login under load), and undici's per-call machinery cost a third of a login's CPU.
 */
function exchange(url: string, method: string, body: string | undefined, timeoutMs: number) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const secure = url.startsWith('https:')
    const outgoing = (secure ? https : http).request(
      url,
      {
        method,
        agent: secure ? agents.https : agents.http,
        headers: body
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
          : {},
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () => {
          clearTimeout(timer)
          resolve({ status: response.statusCode ?? 0, text })
        })
        response.on('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      },
    )
    const timer = setTimeout(() => outgoing.destroy(new ExchangeTimeout()), timeoutMs)
    outgoing.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    outgoing.end(body)
  })
}

export interface WechatRequest {
  method: 'GET' | 'POST'
  path: string
  query: Record<string, string>
  body?: Record<string, unknown>
}

/**
 * One HTTP exchange with WeChat's server API, bounded by `deadline`. WeChat answers 200 with an
 * `errcode` in the JSON body (and some endpoints say text/plain), so the body is parsed whatever
 * its content type. `-1` (system busy) is retried with backoff while the deadline allows; nothing
 * else is, since a login code may already have been consumed by the first attempt.
 */
export async function callWechat<T>(
  base: string,
  request: WechatRequest,
  deadline: Deadline,
  log: FastifyBaseLogger,
): Promise<T> {
  const url = `${base}${request.path}?${new URLSearchParams(request.query)}`
  for (let attempt = 0; ; attempt++) {
    const remaining = timeLeft(deadline)
    // earlier attempts, if any, were answered -1: nothing has reached WeChat's handler yet
    if (remaining <= 0) throw new WechatNoAnswer('WECHAT_TIMEOUT', false)
    let text: string
    try {
      const response = await exchange(
        url,
        request.method,
        request.body ? JSON.stringify(request.body) : undefined,
        remaining,
      )
      text = response.text
      if (response.status < 200 || response.status > 299) {
        log.warn({ wechatPath: request.path, httpStatus: response.status }, 'wechat answered an HTTP error')
        throw new WechatNoAnswer('WECHAT_UNAVAILABLE', true)
      }
    } catch (error) {
      if (error instanceof AppError) throw error
      const name = (error as Error).name
      if (error instanceof ExchangeTimeout || name === 'TimeoutError' || timeLeft(deadline) <= 0) {
        log.warn({ wechatPath: request.path }, 'wechat did not answer in time')
        throw new WechatNoAnswer('WECHAT_TIMEOUT', true)
      }
      log.warn({ wechatPath: request.path, err: (error as Error).message }, 'wechat unreachable')
      const neverConnected = NEVER_CONNECTED.has((error as NodeJS.ErrnoException).code ?? '')
      throw new WechatNoAnswer('WECHAT_UNAVAILABLE', !neverConnected)
    }

    let payload: { errcode?: number; errmsg?: string }
    try {
      payload = JSON.parse(text) as typeof payload
    } catch {
      log.warn({ wechatPath: request.path }, 'wechat answered something that is not JSON')
      throw new WechatNoAnswer('WECHAT_UNAVAILABLE', true)
    }
    const errcode = payload.errcode ?? 0
    if (errcode === 0) return payload as T
    const delay = RETRY_DELAYS_MS[attempt]
    if (errcode === WechatErrcode.systemBusy && delay !== undefined && timeLeft(deadline) > delay) {
      log.info({ wechatPath: request.path, attempt: attempt + 1 }, 'wechat busy (-1), retrying')
      await sleep(delay)
      continue
    }
    throw new WechatApiError(request.path, errcode, payload.errmsg ?? '')
  }
}
