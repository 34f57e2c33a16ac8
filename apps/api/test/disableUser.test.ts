import { randomBytes } from 'node:crypto'
import type { AdminUser } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, bindPhone, login, sendWxLogin } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'

function setDisabled(h: Harness, admin: string, userId: number, isDeleted: boolean) {
  return h.app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${userId}`,
    headers: bearer(admin),
    payload: { isDeleted },
  })
}

function me(h: Harness, token: string) {
  return h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })
}

/** A route whose guard asks the status cache (with Redis): unlike /api/me it needs no row of the caller. */
function myBookings(h: Harness, token: string) {
  return h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: bearer(token) })
}

describe.each([
  ['without Redis', false],
  ['with Redis', true],
])('disabling a person (%s)', (_label, redis) => {
  let h: Harness
  let admin: string
  beforeAll(async () => {
    h = await startHarness({ redis })
  })
  beforeEach(async () => {
    await resetDatabase(h.app)
    admin = await adminToken(h.app)
  })
  afterAll(() => h.close())

  it('refuses their existing token on the very next request, and their next login', async () => {
    const person = await login(h, { openid: 'o-blocked' })
    expect((await me(h, person.token)).statusCode).toBe(200)
    expect((await myBookings(h, person.token)).statusCode).toBe(200)
    const patched = await setDisabled(h, admin, person.userId, true)
    expect(patched.json<AdminUser>()).toMatchObject({ id: person.userId, isDeleted: true })

    for (const read of [me, myBookings]) {
      const refused = await read(h, person.token)
      expect(refused.statusCode).toBe(403)
      expect(refused.json().error).toMatchObject({ code: 'USER_DISABLED', message: '用户已被禁用,无法登录' })
    }
    const { code } = h.sandbox.issueLoginCode({ appId: h.sandbox.apps[0]!.appId, openid: 'o-blocked' })
    const relogin = await sendWxLogin(h.app, { code })
    expect(relogin.statusCode).toBe(403)
    expect(relogin.json().error.code).toBe('USER_DISABLED')
  })

  it('restores access on re-enabling: a fresh (silent) login works, the old token stays dead', async () => {
    const person = await login(h, { openid: 'o-back' })
    await setDisabled(h, admin, person.userId, true)
    const enabled = await setDisabled(h, admin, person.userId, false)
    expect(enabled.json<AdminUser>().isDeleted).toBe(false)
    const old = await me(h, person.token)
    expect(old.statusCode).toBe(401)
    expect(old.json().error.code).toBe('UNAUTHORIZED')
    const again = await login(h, { openid: 'o-back' })
    expect(again.userId).toBe(person.userId)
    expect((await me(h, again.token)).statusCode).toBe(200)
  })

  it('applies a role change on the next request without a new token', async () => {
    const person = await login(h)
    await bindPhone(h, person, '13900000001')
    const before = await h.app.inject({
      method: 'GET',
      url: '/api/staff/bookings',
      headers: bearer(person.token),
    })
    expect(before.statusCode).toBe(403)
    await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows: [{ mobile: '13900000001' }] },
    })
    const after = await h.app.inject({
      method: 'GET',
      url: '/api/staff/bookings',
      headers: bearer(person.token),
    })
    expect(after.statusCode).toBe(200)
  })

  it('writes user.disable and user.enable to the audit log, once per real change', async () => {
    const person = await login(h)
    await setDisabled(h, admin, person.userId, true)
    await setDisabled(h, admin, person.userId, true)
    await setDisabled(h, admin, person.userId, false)
    const [rows] = await h.app.db.execute(
      sql`SELECT action, target FROM audit_log WHERE action LIKE 'user.%' ORDER BY id`,
    )
    expect(rows).toEqual([
      { action: 'user.disable', target: `user:${person.userId}` },
      { action: 'user.enable', target: `user:${person.userId}` },
    ])
  })

  it('answers 404 for an unknown person and 400 for a malformed body', async () => {
    const missing = await setDisabled(h, admin, 999_999, true)
    expect(missing.statusCode).toBe(404)
    for (const payload of [{}, { isDeleted: 'true' }, { isDeleted: true, role: 'staff' }]) {
      const response = await h.app.inject({
        method: 'PATCH',
        url: '/api/admin/users/1',
        headers: bearer(admin),
        payload,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const badId = await h.app.inject({
      method: 'PATCH',
      url: '/api/admin/users/abc',
      headers: bearer(admin),
      payload: { isDeleted: true },
    })
    expect(badId.statusCode).toBe(400)
  })
})

function statusKey(h: Harness, userId: number) {
  return `${h.app.config.REDIS_PREFIX}user-status:${userId}`
}

describe('two API instances sharing Redis', () => {
  let a: Harness
  let b: Harness
  let admin: string
  beforeAll(async () => {
    const redisPrefix = `yuyue-test-${randomBytes(4).toString('hex')}:`
    a = await startHarness({ redis: true, redisPrefix })
    b = await startHarness({ redis: true, redisPrefix, sandbox: a.sandbox })
    await resetDatabase(a.app)
    admin = await adminToken(a.app)
  })
  afterAll(async () => {
    await b.close()
    await a.close()
  })

  it('a person disabled through instance A is refused by instance B on the next request', async () => {
    const person = await login(a, { openid: 'o-shared' })
    // B has the person's status cached from this request
    expect((await myBookings(b, person.token)).statusCode).toBe(200)
    expect(await b.app.redis!.exists(statusKey(b, person.userId))).toBe(1)
    expect((await myBookings(b, person.token)).statusCode).toBe(200)
    await setDisabled(a, admin, person.userId, true)
    const refused = await myBookings(b, person.token)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('USER_DISABLED')
    await setDisabled(a, admin, person.userId, false)
    const again = await login(b, { openid: 'o-shared' })
    expect((await me(a, again.token)).statusCode).toBe(200)
  })

  it('never serves a stale status while requests race the change', async () => {
    const person = await login(a, { openid: 'o-race' })
    let disabledAt = 0
    const readers = Array.from({ length: 4 }, async () => {
      const seen: { at: number; status: number }[] = []
      const until = Date.now() + 800
      while (Date.now() < until) {
        // when the request was sent: one sent before the disable may answer after it, under load
        const at = Date.now()
        const response = await myBookings(b, person.token)
        seen.push({ at, status: response.statusCode })
      }
      return seen
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await setDisabled(a, admin, person.userId, true)
    disabledAt = Date.now()
    const seen = (await Promise.all(readers)).flat()
    // every request sent after the disable had returned was refused
    const late = seen.filter((s) => s.at > disabledAt)
    expect(late.length).toBeGreaterThan(0)
    expect(late.every((s) => s.status === 403)).toBe(true)
  })

  it('a route that needs the row of its caller reads it from the database, and leaves the cache alone', async () => {
    const person = await login(a, { openid: 'o-row' })
    const first = await me(b, person.token)
    expect(first.statusCode).toBe(200)
    expect(await b.app.redis!.exists(statusKey(b, person.userId))).toBe(0)
    // what the row says now, not what some instance read before
    await b.app.dbHandle.pool.query('UPDATE users SET nickname = ? WHERE id = ?', ['新名字', person.userId])
    const second = await me(b, person.token)
    expect(second.json().user.nickname).toBe('新名字')
    expect(await b.app.redis!.exists(statusKey(b, person.userId))).toBe(0)
    await setDisabled(a, admin, person.userId, true)
    expect((await me(b, person.token)).json().error.code).toBe('USER_DISABLED')
  })
})
