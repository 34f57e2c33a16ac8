import type { AuditEntry } from '@yuyue/contracts'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ensureAdmin } from '../src/domain/admins/adminAccounts'
import { bearer } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'

const PASSWORD = 'first-password-of-ops'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
beforeEach(async () => {
  await resetDatabase(h.app)
  await ensureAdmin(h.app.db, 'ops', PASSWORD)
})
afterAll(() => h.close())

async function logIn(username = 'ops', password = PASSWORD, remoteAddress = '127.0.0.1') {
  return h.app.inject({
    method: 'POST',
    url: '/api/admin/auth/login',
    remoteAddress,
    payload: { username, password },
  })
}

async function tokenOf(username = 'ops', password = PASSWORD): Promise<string> {
  const response = await logIn(username, password)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<{ token: string }>().token
}

function listUsers(token: string) {
  return h.app.inject({ method: 'GET', url: '/api/admin/users', headers: bearer(token) })
}

function changePassword(token: string, currentPassword: string, newPassword: string) {
  return h.app.inject({
    method: 'POST',
    url: '/api/admin/auth/password',
    headers: bearer(token),
    payload: { currentPassword, newPassword },
  })
}

/** The audit log, oldest first, as `action actor target`. */
async function auditActions(token: string): Promise<string[]> {
  const audit = await h.app.inject({
    method: 'GET',
    url: '/api/admin/audit?pageSize=100',
    headers: bearer(token),
  })
  expect(audit.statusCode, audit.body).toBe(200)
  return audit
    .json<{ items: AuditEntry[] }>()
    .items.map((entry) => `${entry.action} ${entry.actor} ${entry.target}`)
    .reverse()
}

describe('POST /api/admin/auth/logout', () => {
  it('ends every token the admin holds, on every device, and nobody else’s', async () => {
    const laptop = await tokenOf()
    const phone = await tokenOf()
    await ensureAdmin(h.app.db, 'other', 'other-password-long')
    const other = await tokenOf('other', 'other-password-long')
    const out = await h.app.inject({ method: 'POST', url: '/api/admin/auth/logout', headers: bearer(laptop) })
    expect(out.statusCode, out.body).toBe(200)
    expect(out.json()).toEqual({ ok: true })
    for (const token of [laptop, phone]) {
      const refused = await listUsers(token)
      expect(refused.statusCode).toBe(401)
      expect(refused.json().error.code).toBe('UNAUTHORIZED')
    }
    expect((await listUsers(other)).statusCode).toBe(200)
    // a new login works again
    expect((await listUsers(await tokenOf())).statusCode).toBe(200)
  })
})

describe('POST /api/admin/auth/password', () => {
  it('sets the new password and ends every token the admin held, this one included', async () => {
    const token = await tokenOf()
    const elsewhere = await tokenOf()
    const changed = await changePassword(token, PASSWORD, 'a-much-better-password')
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toEqual({ ok: true })
    for (const old of [token, elsewhere]) expect((await listUsers(old)).statusCode).toBe(401)
    expect((await logIn('ops', PASSWORD)).statusCode).toBe(401)
    expect((await listUsers(await tokenOf('ops', 'a-much-better-password'))).statusCode).toBe(200)
  })

  it('answers 401 BAD_CREDENTIALS for a wrong current password, changing nothing', async () => {
    const token = await tokenOf()
    const refused = await changePassword(token, 'not-the-password', 'a-much-better-password')
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error.code).toBe('BAD_CREDENTIALS')
    expect((await listUsers(token)).statusCode).toBe(200)
    expect((await logIn('ops', PASSWORD)).statusCode).toBe(200)
  })

  it.each([
    ['short', 'eleven-char'],
    ['published', 'e2e-admin-password-1'],
  ])('answers 400 VALIDATION_FAILED for a weak new password (%s), changing nothing', async (_why, weak) => {
    const token = await tokenOf()
    const refused = await changePassword(token, PASSWORD, weak)
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.code).toBe('VALIDATION_FAILED')
    expect((await listUsers(token)).statusCode).toBe(200)
  })
})

describe('admin usernames', () => {
  it('reach the account however the name is cased, padded or written in full-width forms', async () => {
    for (const spelling of ['OPS', ' ops ', 'Ｏｐｓ'])
      expect((await logIn(spelling)).statusCode, spelling).toBe(200)
  })

  it('no longer reach it through the collation: an accented look-alike is another (unknown) name', async () => {
    const refused = await logIn('óps')
    expect(refused.statusCode).toBe(401)
    expect(refused.json().error.code).toBe('BAD_CREDENTIALS')
  })

  it('refuse a new account whose name is outside letters, digits and . _ @ -', async () => {
    await expect(ensureAdmin(h.app.db, 'óps', 'some-long-password')).rejects.toThrow(/username must be/)
  })
})

describe('the admin login limit', () => {
  it('counts every spelling of a name against the one account, from any IP', async () => {
    const limited = await startHarness({ env: { RATE_LIMIT_ADMIN_LOGIN: '3' } })
    try {
      const statuses: number[] = []
      for (const [i, spelling] of ['ops', 'OPS', ' ops', 'Ｏｐｓ'].entries()) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          remoteAddress: `10.0.1.${i + 1}`,
          payload: { username: spelling, password: 'wrong-guess' },
        })
        statuses.push(response.statusCode)
      }
      expect(statuses).toEqual([401, 401, 401, 429])
    } finally {
      await limited.close()
    }
  })
})

describe.each([
  ['without Redis', false],
  ['with Redis', true],
])('admin login backoff (%s)', (_label, redis) => {
  let limited: Harness
  // a fresh instance each: the allowances live in it (or in its Redis keys) for a minute
  beforeEach(async () => {
    limited = await startHarness({ redis, env: { RATE_LIMIT_ADMIN_LOGIN: '10' } })
    await resetDatabase(limited.app)
    await ensureAdmin(limited.app.db, 'ops', PASSWORD)
  })
  afterEach(() => limited.close())

  function attempt(remoteAddress: string, password: string) {
    return limited.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      remoteAddress,
      payload: { username: 'ops', password },
    })
  }

  it('makes one address wait, doubling, after five failures; other addresses are not held back', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await attempt('203.0.113.50', 'wrong-guess')).statusCode)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
    const waiting = await attempt('203.0.113.50', PASSWORD)
    expect(waiting.statusCode).toBe(429)
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    // the right password from another address is not kept waiting
    expect((await attempt('198.51.100.20', PASSWORD)).statusCode).toBe(200)
    // the wait over (1 s after the fifth failure), one more failure doubles it
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect((await attempt('203.0.113.50', 'wrong-guess')).statusCode).toBe(401)
    const doubled = await attempt('203.0.113.50', PASSWORD)
    expect(doubled.statusCode).toBe(429)
    expect(Number(doubled.headers['retry-after'])).toBe(2)
  })

  it('never locks the admin out from their usual address when others use up the account’s allowance', async () => {
    // the admin's own login counts once against the 10 a minute, the guessers take the other 9
    expect((await attempt('192.0.2.10', PASSWORD)).statusCode).toBe(200)
    const guesses: number[] = []
    for (let i = 0; i < 11; i++)
      guesses.push((await attempt(`203.0.113.${100 + i}`, 'wrong-guess')).statusCode)
    expect(guesses.slice(0, 9)).toEqual(Array(9).fill(401))
    expect(guesses.slice(9)).toEqual([429, 429])
    expect((await attempt('203.0.113.200', PASSWORD)).statusCode).toBe(429)
    expect((await attempt('192.0.2.10', PASSWORD)).statusCode).toBe(200)
  })
})

describe('the audit log', () => {
  it('records logins, failed ones included, logouts and password changes', async () => {
    await logIn('ops', 'wrong-guess', '198.51.100.7')
    await logIn('nobody', 'wrong-guess', '198.51.100.7')
    const token = await tokenOf()
    await changePassword(token, PASSWORD, 'a-much-better-password')
    const fresh = await tokenOf('ops', 'a-much-better-password')
    await h.app.inject({ method: 'POST', url: '/api/admin/auth/logout', headers: bearer(fresh) })
    const actions = await auditActions(await tokenOf('ops', 'a-much-better-password'))
    const id = actions
      .find((line) => line.startsWith('admin.create'))!
      .split('admin:')
      .at(-1)
    expect(actions.slice(0, 7)).toEqual([
      `admin.create system admin:${id}`,
      `admin.loginFailed system admin:${id}`,
      'admin.loginFailed system username:nobody',
      `admin.login admin:ops admin:${id}`,
      `admin.passwordChange admin:ops admin:${id}`,
      `admin.login admin:ops admin:${id}`,
      `admin.logout admin:ops admin:${id}`,
    ])
  })
})
