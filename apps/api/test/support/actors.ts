import type { AuthResult } from '@yuyue/contracts'
import { expect } from 'vitest'
import type { App } from '../../src/app'
import { APP_ID, type Harness } from './harness'

export interface Person {
  token: string
  userId: number
  openid: string
  auth: (extra?: Record<string, string>) => Record<string, string>
}

export function bearer(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra }
}

/** `POST /api/auth/wx-login` with this JSON body, as the mini-program sends it. */
export function sendWxLogin(app: App, payload: object) {
  return app.inject({ method: 'POST', url: '/api/auth/wx-login', payload })
}

/** A person opening the mini-program: a fresh wx.login code, exchanged through the API. */
export async function login(
  h: Harness,
  identity: { openid?: string; unionid?: string; appId?: string } = {},
): Promise<Person> {
  const appId = identity.appId ?? APP_ID
  const { code, openid } = h.sandbox.issueLoginCode({
    appId,
    openid: identity.openid,
    unionid: identity.unionid,
  })
  const response = await sendWxLogin(h.app, { code, appId })
  expect(response.statusCode, response.body).toBe(200)
  const body = response.json<AuthResult>()
  return { token: body.token, userId: body.user.id, openid, auth: (extra) => bearer(body.token, extra) }
}

/**
 * The 快捷登录 tap, answered as it comes: WeChat issues a phone code for `phoneNumber` (to this
 * person, unless `issuedTo` names another openid) and the API is asked to bind it.
 */
export function tapQuickLogin(
  h: Harness,
  person: Person,
  phoneNumber: string,
  options: { countryCode?: string; issuedTo?: string } = {},
) {
  const { code } = h.sandbox.issuePhoneCode({
    appId: APP_ID,
    phoneNumber,
    countryCode: options.countryCode ?? '86',
    openid: options.issuedTo ?? person.openid,
  })
  return h.app.inject({ method: 'POST', url: '/api/auth/phone', headers: person.auth(), payload: { code } })
}

/** The 快捷登录 tap with a number WeChat knows for this person. */
export async function bindPhone(h: Harness, person: Person, phoneNumber: string, countryCode = '86') {
  const response = await tapQuickLogin(h, person, phoneNumber, { countryCode })
  expect(response.statusCode, response.body).toBe(200)
  const body = response.json<AuthResult>()
  person.token = body.token
  return body
}

let adminCount = 0

/** An admin account created through the same code path as ADMIN_USERNAME/ADMIN_PASSWORD. */
export async function adminToken(app: App): Promise<string> {
  const { ensureAdmin } = await import('../../src/domain/admins/adminAccounts')
  const username = `admin${++adminCount}-${process.pid}`
  await ensureAdmin(app.db, username, 'correct horse battery')
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/auth/login',
    payload: { username, password: 'correct horse battery' },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ token: string }>().token
}
