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
    if (remaining <= 0) throw new AppError('WECHAT_TIMEOUT')
    let text: string
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: request.body ? { 'content-type': 'application/json' } : undefined,
        body: request.body ? JSON.stringify(request.body) : undefined,
        signal: AbortSignal.timeout(remaining),
      })
      text = await response.text()
      if (!response.ok) {
        log.warn({ wechatPath: request.path, httpStatus: response.status }, 'wechat answered an HTTP error')
        throw new AppError('WECHAT_UNAVAILABLE')
      }
    } catch (error) {
      if (error instanceof AppError) throw error
      const name = (error as Error).name
      if (name === 'TimeoutError' || name === 'AbortError' || timeLeft(deadline) <= 0) {
        log.warn({ wechatPath: request.path }, 'wechat did not answer in time')
        throw new AppError('WECHAT_TIMEOUT')
      }
      log.warn({ wechatPath: request.path, err: (error as Error).message }, 'wechat unreachable')
      throw new AppError('WECHAT_UNAVAILABLE')
    }

    let payload: { errcode?: number; errmsg?: string }
    try {
      payload = JSON.parse(text) as typeof payload
    } catch {
      log.warn({ wechatPath: request.path }, 'wechat answered something that is not JSON')
      throw new AppError('WECHAT_UNAVAILABLE')
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
