import { randomRid } from './random'

/** The errmsg WeChat sends for each errcode the sandbox produces or clients handle (without the rid). */
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'high risk user',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
}

export interface WechatErrorBody {
  errcode: number
  errmsg: string
}

/** What a sandbox operation decided: the success body, or an errcode (with a detail replacing the stock errmsg). */
export type WechatOutcome<T> = { ok: true; body: T } | { ok: false; errcode: number; detail?: string }

export function succeed<T>(body: T): WechatOutcome<T> {
  return { ok: true, body }
}

export function fail(errcode: number, detail?: string): WechatOutcome<never> {
  return detail === undefined ? { ok: false, errcode } : { ok: false, errcode, detail }
}

export function wechatErrorBody(errcode: number, nowMs: number, detail?: string): WechatErrorBody {
  const message = detail ?? ERRMSG[errcode] ?? 'sandbox injected fault'
  return { errcode, errmsg: `${message}, rid: ${randomRid(nowMs)}` }
}
