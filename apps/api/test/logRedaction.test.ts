import type { AuthResult } from '@yuyue/contracts'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { adminToken, bearer } from './support/actors'
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
  const login = await h.app.inject({
    method: 'POST',
    url: '/api/auth/wx-login',
    payload: { code: loginCode },
  })
  const { token } = login.json<AuthResult>()
  secrets.push(token)

  const { code: phoneCode } = h.sandbox.issuePhoneCode({ appId: APP_ID, phoneNumber: '13812345678', openid })
  secrets.push(phoneCode)
  await h.app.inject({
    method: 'POST',
    url: '/api/auth/phone',
    headers: bearer(token),
    payload: { code: phoneCode },
  })

  // a code WeChat refuses, a phone in a query string and in a path, a failing WeChat call
  h.sandbox.addFault({ path: '/sns/jscode2session', errcode: 40029 })
  await h.app.inject({ method: 'POST', url: '/api/auth/wx-login', payload: { code: 'refused-code-0001' } })
  secrets.push('refused-code-0001')
  const admin = await adminToken(h.app)
  secrets.push(admin)
  await h.app.inject({ method: 'GET', url: '/api/admin/users?q=13812345678', headers: bearer(admin) })
  await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: { rows: [{ mobile: '13812345678' }] },
  })
  await h.app.inject({ method: 'DELETE', url: '/api/admin/staff/13812345678', headers: bearer(admin) })
  await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(`${token}x`) })

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
