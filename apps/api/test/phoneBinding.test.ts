import type { AuthResult, MeResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, bindPhone, login, tapQuickLogin } from './support/actors'
import { APP_ID, type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness

async function importStaff(mobiles: string[]) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(await adminToken(h.app)),
    payload: { rows: mobiles.map((mobile) => ({ mobile })) },
  })
  expect(response.statusCode, response.body).toBe(200)
}

async function me(token: string) {
  return h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })
}

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(async () => {
  await resetDatabase(h.app)
  h.sandbox.reset()
})
afterAll(async () => {
  await h.close()
})

describe('binding a phone (快捷登录)', () => {
  it('makes a person whose number is in the staff directory staff', async () => {
    await importStaff(['+86 139-0000-0001'])
    const person = await login(h)
    const bound = await bindPhone(h, person, '13900000001')
    expect(bound.user).toMatchObject({ role: 'staff', phone: { countryCode: '86', masked: '139****0001' } })
    expect((await me(person.token)).json<MeResponse>().user.role).toBe('staff')
  })

  it('makes anyone else a user', async () => {
    await importStaff(['13900000001'])
    const person = await login(h)
    expect((await bindPhone(h, person, '13700000002')).user.role).toBe('user')
  })

  it('stores the number in canonical form and never answers it whole', async () => {
    const person = await login(h)
    const bound = await bindPhone(h, person, '13800138000')
    expect(JSON.stringify(bound)).not.toContain('13800138000')
    const [rows] = await h.app.db.execute(
      sql`SELECT country_code, mobile FROM users WHERE id = ${person.userId}`,
    )
    expect((rows as unknown as object[])[0]).toEqual({ country_code: '86', mobile: '13800138000' })
  })

  it('keeps a foreign number with its country code', async () => {
    const person = await login(h)
    const bound = await bindPhone(h, person, '51234567', '852')
    expect(bound.user.phone).toEqual({ countryCode: '852', masked: '512****4567' })
  })

  it('answers a fresh token that works', async () => {
    const person = await login(h)
    const oldToken = person.token
    const bound: AuthResult = await bindPhone(h, person, '13800138000')
    expect(bound.token).not.toBe(oldToken)
    expect((await me(bound.token)).statusCode).toBe(200)
    expect((await me(oldToken)).statusCode).toBe(200)
  })

  it('moves a number held by someone else to the caller, and audits the move', async () => {
    const first = await login(h, { openid: 'o-first' })
    await bindPhone(h, first, '13800138000')
    const second = await login(h, { openid: 'o-second' })
    await bindPhone(h, second, '13800138000')

    expect((await me(first.token)).json<MeResponse>().user.phone).toBeNull()
    expect((await me(second.token)).json<MeResponse>().user.phone?.masked).toBe('138****8000')
    const audit = await h.app.inject({
      method: 'GET',
      url: '/api/admin/audit',
      headers: bearer(await adminToken(h.app)),
    })
    const move = audit.json<{
      items: { action: string; target: string; detail: Record<string, unknown> }[]
    }>().items
    expect(move.find((e) => e.action === 'phone.move')).toMatchObject({
      target: `user:${first.userId}`,
      detail: { fromUserId: first.userId, toUserId: second.userId, mobile: '138****8000' },
    })
  })

  it('takes the staff role away from the person a staff number moved away from', async () => {
    await importStaff(['13900000001'])
    const first = await login(h, { openid: 'o-first' })
    await bindPhone(h, first, '13900000001')
    const second = await login(h, { openid: 'o-second' })
    await bindPhone(h, second, '13900000001')
    expect((await me(first.token)).json<MeResponse>().user.role).toBe('user')
    expect((await me(second.token)).json<MeResponse>().user.role).toBe('staff')
  })

  it('takes the staff role away from a staff member binding a number never bound before', async () => {
    await importStaff(['13900000001'])
    const person = await login(h)
    await bindPhone(h, person, '13900000001')
    const rebound = await bindPhone(h, person, '13700000002')
    expect(rebound.user.role).toBe('user')
    expect((await me(rebound.token)).json<MeResponse>().user).toMatchObject({
      role: 'user',
      phone: { masked: '137****0002' },
    })
  })

  // numbers bound or imported before migration 0003 have no phone_numbers row
  it('moves a number bound before its row existed, and audits the move', async () => {
    const holder = await login(h, { openid: 'o-holder' })
    await bindPhone(h, holder, '13800138000')
    await h.app.db.execute(sql`DELETE FROM phone_numbers`)
    const taker = await login(h, { openid: 'o-taker' })
    const taken = await bindPhone(h, taker, '13800138000')
    expect(taken.user.phone?.masked).toBe('138****8000')
    expect((await me(holder.token)).json<MeResponse>().user.phone).toBeNull()
    const [moves] = await h.app.db.execute(
      sql`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'phone.move'`,
    )
    expect(Number((moves as unknown as { n: number }[])[0]!.n)).toBe(1)
  })

  it('makes staff by a directory entry imported before numbers had rows', async () => {
    await importStaff(['13900000001'])
    await h.app.db.execute(sql`DELETE FROM phone_numbers`)
    const person = await login(h)
    expect((await bindPhone(h, person, '13900000001')).user.role).toBe('staff')
    expect((await me(person.token)).json<MeResponse>().user.role).toBe('staff')
  })

  it('settles two people binding the same number at the same moment: one holds it', async () => {
    const [a, b] = await Promise.all([login(h, { openid: 'o-a' }), login(h, { openid: 'o-b' })])
    await Promise.all([bindPhone(h, a, '13800138000'), bindPhone(h, b, '13800138000')])
    const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM users WHERE mobile = '13800138000'`)
    expect(Number((rows as unknown as { n: number }[])[0]!.n)).toBe(1)
  })

  it('refuses a phone code issued to another person', async () => {
    const person = await login(h, { openid: 'o-me' })
    const response = await tapQuickLogin(h, person, '13800138000', { issuedTo: 'o-not-me' })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('WECHAT_CODE_INVALID')
  })

  it('needs a mini-program token', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/auth/phone', payload: { code: 'x' } })
    expect(response.statusCode).toBe(401)
    expect(response.json().error.code).toBe('UNAUTHORIZED')
  })

  it('answers 502 and 504 when WeChat fails, and binds nothing', async () => {
    const person = await login(h)
    h.sandbox.addFault({ path: '/wxa/business/getuserphonenumber', errcode: 40013 })
    const { code } = h.sandbox.issuePhoneCode({
      appId: APP_ID,
      phoneNumber: '13800138000',
      openid: person.openid,
    })
    const failed = await h.app.inject({
      method: 'POST',
      url: '/api/auth/phone',
      headers: person.auth(),
      payload: { code },
    })
    expect(failed.statusCode).toBe(502)
    expect(failed.json().error.code).toBe('WECHAT_UNAVAILABLE')

    h.sandbox.addFault({ path: '/wxa/business/getuserphonenumber', delayMs: 5000 })
    const slow = await h.app.inject({
      method: 'POST',
      url: '/api/auth/phone',
      headers: person.auth(),
      payload: { code },
    })
    expect(slow.statusCode).toBe(504)
    expect(slow.json().error.code).toBe('WECHAT_TIMEOUT')
    expect((await me(person.token)).json<MeResponse>().user.phone).toBeNull()
  })

  it('refuses a disabled person with 403 USER_DISABLED', async () => {
    const person = await login(h)
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${person.userId}`,
      headers: bearer(await adminToken(h.app)),
      payload: { isDeleted: true },
    })
    const response = await tapQuickLogin(h, person, '13800138000')
    expect(response.statusCode).toBe(403)
    expect(response.json().error).toMatchObject({ code: 'USER_DISABLED', message: '用户已被禁用,无法登录' })
  })

  it('leaves alone a holder who moved to another number while the binding looked', async () => {
    const holder = await login(h, { openid: 'o-holder' })
    await bindPhone(h, holder, '13800138000')
    const taker = await login(h, { openid: 'o-taker' })
    // the holder's row held, as their own binding of another number holds it
    const held = await h.app.dbHandle.pool.getConnection()
    let binding: ReturnType<typeof tapQuickLogin> | undefined
    try {
      await held.query('BEGIN')
      await held.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [holder.userId])
      binding = tapQuickLogin(h, taker, '13800138000')
      // the taker has seen who holds the number, and waits for that row
      for (let waited = 0; ; waited += 20) {
        const [writing] = await h.app.dbHandle.pool.query(
          // the binding's statements are sent by mysql2 as written in db/queries/phoneBinding.ts
          "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE info LIKE 'update users force%'",
        )
        if (Number((writing as { n: number }[])[0]!.n) > 0) break
        if (waited > 5000) throw new Error('the binding never waited for the holder')
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      await held.query("UPDATE users SET mobile = '13800138001' WHERE id = ?", [holder.userId])
      await held.query('COMMIT')
    } finally {
      held.release()
    }
    expect((await binding).statusCode).toBe(200)
    expect((await me(holder.token)).json<MeResponse>().user.phone?.masked).toBe('138****8001')
    expect((await me(taker.token)).json<MeResponse>().user.phone?.masked).toBe('138****8000')
    const [moves] = await h.app.db.execute(
      sql`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'phone.move'`,
    )
    expect(Number((moves as unknown as { n: number }[])[0]!.n)).toBe(0)
  })

  it('binds nothing to a person disabled while WeChat answers, and says so', async () => {
    const person = await login(h)
    const admin = await adminToken(h.app)
    h.sandbox.addFault({ path: '/wxa/business/getuserphonenumber', delayMs: 400 })
    const binding = tapQuickLogin(h, person, '13800138000')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const disabled = await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${person.userId}`,
      headers: bearer(admin),
      payload: { isDeleted: true },
    })
    expect(disabled.statusCode, disabled.body).toBe(200)
    const response = await binding
    expect(response.statusCode, response.body).toBe(403)
    expect(response.json().error.code).toBe('USER_DISABLED')
    const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM users WHERE mobile = '13800138000'`)
    expect(Number((rows as unknown as { n: number }[])[0]!.n)).toBe(0)
  })

  it('binds nothing to an account erased while WeChat answers', async () => {
    const person = await login(h)
    h.sandbox.addFault({ path: '/wxa/business/getuserphonenumber', delayMs: 400 })
    const binding = tapQuickLogin(h, person, '13800138000')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const erased = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: person.auth() })
    expect(erased.statusCode, erased.body).toBe(200)
    const response = await binding
    expect(response.statusCode, response.body).toBe(401)
    const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM users WHERE mobile = '13800138000'`)
    expect(Number((rows as unknown as { n: number }[])[0]!.n)).toBe(0)
  })
})

describe('the phone-number API, billed per successful call', () => {
  // a harness of its own: the shared one's sandbox is reset between tests, which revokes tokens
  let fresh: Harness
  beforeAll(async () => {
    fresh = await startHarness()
    await resetDatabase(fresh.app)
  })
  afterAll(() => fresh.close())

  it('is asked once per binding, with one access token for all', async () => {
    const people = await Promise.all(Array.from({ length: 5 }, (_, i) => login(fresh, { openid: `o-${i}` })))
    await Promise.all(people.map((p, i) => bindPhone(fresh, p, `1380013800${i}`)))
    const stats = fresh.sandbox.stats()
    expect(stats.calls['/wxa/business/getuserphonenumber']).toBe(5)
    expect(stats.calls['/cgi-bin/stable_token']).toBe(1)
  })

  it('is not asked at login: a returning person logs in without it', async () => {
    const before = fresh.sandbox.stats().calls['/wxa/business/getuserphonenumber']
    await login(fresh, { openid: 'o-0' })
    await login(fresh, { openid: 'o-0' })
    expect(fresh.sandbox.stats().calls['/wxa/business/getuserphonenumber']).toBe(before)
  })
})

describe('binding a phone while Redis is away (REDIS_URL set)', () => {
  let shared: Harness
  beforeAll(async () => {
    shared = await startHarness({ redis: true })
    await resetDatabase(shared.app)
  })
  afterAll(() => shared.close())

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, not a 500, and logs the Redis failure', async () => {
    const person = await login(shared)
    // the access token lives in Redis; the guard falls back to the database on its own
    shared.app.redis!.disconnect()
    const response = await tapQuickLogin(shared, person, '13800138000')
    expect(response.statusCode, response.body).toBe(503)
    expect(response.json().error.code).toBe('SERVICE_UNAVAILABLE')
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
    const errors = shared.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 50)
    expect(errors.map((line) => line.msg)).toContain('redis failed while reading the wechat access token')
    expect(shared.sandbox.stats().calls['/wxa/business/getuserphonenumber'] ?? 0).toBe(0)
    const [rows] = await shared.app.db.execute(sql`SELECT mobile FROM users WHERE id = ${person.userId}`)
    expect((rows as unknown as { mobile: string | null }[])[0]!.mobile).toBeNull()
  })
})

describe('binding a phone with the status cached in Redis', () => {
  let cached: Harness
  beforeAll(async () => {
    cached = await startHarness({ redis: true })
    await resetDatabase(cached.app)
  })
  afterAll(() => cached.close())

  const key = (userId: number) => `${cached.app.config.REDIS_PREFIX}user-status:${userId}`
  /** the status as the guard reads it on a route that asks the cache, and as cached after it */
  async function cachedStatus(token: string, userId: number) {
    const response = await cached.app.inject({
      method: 'GET',
      url: '/api/bookings/mine',
      headers: bearer(token),
    })
    expect(response.statusCode, response.body).toBe(200)
    const value = await cached.app.redis!.get(key(userId))
    return value === null ? null : (JSON.parse(value) as { role: string })
  }

  it('marks nobody for a number never bound that leaves the role as it is', async () => {
    const person = await login(cached, { openid: 'o-plain' })
    expect(await cachedStatus(person.token, person.userId)).toMatchObject({ role: 'user' })
    await bindPhone(cached, person, '13700000001')
    // no pending mark, no generation: the cached status was never dropped
    expect(await cached.app.redis!.exists(`${key(person.userId)}:pending`, `${key(person.userId)}:gen`)).toBe(
      0,
    )
    expect(await cached.app.redis!.exists(key(person.userId))).toBe(1)
  })

  it('drops the cached status when the role changes, both ways', async () => {
    const admin = await adminToken(cached.app)
    const imported = await cached.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows: [{ mobile: '13900000002' }] },
    })
    expect(imported.statusCode, imported.body).toBe(200)
    const person = await login(cached, { openid: 'o-staff' })
    expect(await cachedStatus(person.token, person.userId)).toMatchObject({ role: 'user' })
    const staff = await bindPhone(cached, person, '13900000002')
    expect(await cachedStatus(staff.token, person.userId)).toMatchObject({ role: 'staff' })
    const plain = await bindPhone(cached, person, '13700000003')
    expect(await cachedStatus(plain.token, person.userId)).toMatchObject({ role: 'user' })
  })
})
