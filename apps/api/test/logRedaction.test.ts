import type { AuthResult } from '@yuyue/contracts'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminToken, bearer, sendWxLogin } from './support/actors'
import { APP_ID, type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'trace' } })
  await resetDatabase(h.app)
})
afterAll(() => h.close())

it('never logs a token, a login or phone code, a session_key or a full phone number', async () => {
  const secrets: string[] = []
  const { code: loginCode, openid } = h.sandbox.issueLoginCode({ appId: APP_ID })
  secrets.push(loginCode)
  const login = await sendWxLogin(h.app, { code: loginCode })
  expect(login.statusCode, login.body).toBe(200)
  const { token } = login.json<AuthResult>()
  secrets.push(token)

  const { code: phoneCode } = h.sandbox.issuePhoneCode({ appId: APP_ID, phoneNumber: '13812345678', openid })
  secrets.push(phoneCode)
  // the calls below must really succeed, or "never logged" would test nothing
  const bound = await h.app.inject({
    method: 'POST',
    url: '/api/auth/phone',
    headers: bearer(token),
    payload: { code: phoneCode },
  })
  expect(bound.statusCode, bound.body).toBe(200)
  const boundBody = bound.json<AuthResult>()
  expect(boundBody.user.phone).toEqual({ countryCode: '86', masked: '138****5678' })
  secrets.push(boundBody.token)

  // a code WeChat refuses, a phone in a query string and in a path, a failing WeChat call
  h.sandbox.addFault({ path: '/sns/jscode2session', errcode: 40029 })
  const refused = await sendWxLogin(h.app, { code: 'refused-code-0001' })
  expect(refused.json().error.code).toBe('WECHAT_CODE_INVALID')
  secrets.push('refused-code-0001')
  const admin = await adminToken(h.app)
  secrets.push(admin)
  const found = await h.app.inject({
    method: 'GET',
    url: '/api/admin/users?q=13812345678',
    headers: bearer(admin),
  })
  expect(found.statusCode, found.body).toBe(200)
  expect(found.json()).toMatchObject({ total: 1, items: [{ mobile: '13812345678' }] })
  const imported = await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: { rows: [{ mobile: '13812345678' }] },
  })
  expect(imported.statusCode, imported.body).toBe(200)
  expect(imported.json()).toEqual({
    dryRun: false,
    inserted: 1,
    updated: 0,
    unchanged: 0,
    promoted: 1,
    invalid: [],
  })
  const removed = await h.app.inject({
    method: 'DELETE',
    url: '/api/admin/staff/13812345678',
    headers: bearer(admin),
  })
  expect(removed.statusCode, removed.body).toBe(200)
  expect(removed.json()).toEqual({ removed: true, demoted: 1 })
  const badToken = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(`${token}x`) })
  expect(badToken.statusCode).toBe(401)

  const [rows] = await h.app.dbHandle.pool.query('SELECT session_key FROM wechat_identities')
  for (const row of rows as { session_key: string }[]) secrets.push(row.session_key)

  const logged = h.logs.join('\n')
  expect(h.logs.length).toBeGreaterThan(10)
  for (const secret of secrets) expect(logged).not.toContain(secret)
  expect(logged).not.toContain('13812345678')
  expect(logged).not.toMatch(/session_?key/i)
  // the logs still say what happened
  expect(logged).toContain('/api/admin/staff/138****5678')
  expect(logged).toContain('"errcode":40029')
})
