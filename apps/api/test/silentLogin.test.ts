import type { AuthResult } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { login, sendWxLogin } from './support/actors'
import { APP_ID, type Harness, resetDatabase, SECOND_APP_ID, startHarness } from './support/harness'

let h: Harness

async function countRows(table: 'users' | 'wechat_identities') {
  const [rows] = await h.app.db.execute(sql.raw(`SELECT COUNT(*) AS n FROM ${table}`))
  return Number((rows as unknown as { n: number }[])[0]!.n)
}

beforeAll(async () => {
  h = await startHarness({ apps: [APP_ID, SECOND_APP_ID] })
})
beforeEach(async () => {
  await resetDatabase(h.app)
  h.sandbox.reset()
})
afterAll(() => h.close())

describe('silent login', () => {
  it('creates exactly one person and identity, and finds them on the next login', async () => {
    const first = await login(h, { openid: 'o-alice' })
    expect(await countRows('users')).toBe(1)
    expect(await countRows('wechat_identities')).toBe(1)
    const second = await login(h, { openid: 'o-alice' })
    expect(second.userId).toBe(first.userId)
    expect(await countRows('users')).toBe(1)
  })

  it('tells apart openids and unionids that differ only in case, as WeChat does', async () => {
    const lower = await login(h, { openid: 'o-case-abc', unionid: 'u-case-abc' })
    const upper = await login(h, { openid: 'o-case-ABC', unionid: 'u-case-ABC' })
    expect(upper.userId).not.toBe(lower.userId)
    expect(await countRows('users')).toBe(2)
    expect((await login(h, { openid: 'o-case-ABC' })).userId).toBe(upper.userId)
  })

  it('answers a token, its lifetime and the person without a phone yet', async () => {
    const { code } = h.sandbox.issueLoginCode({ appId: APP_ID })
    const response = await sendWxLogin(h.app, { code, appId: APP_ID })
    const body = response.json<AuthResult>()
    expect(body.expiresIn).toBe(7200)
    expect(body.user).toMatchObject({ role: 'user', phone: null, nickname: null })
    expect(body.user.createdAt).toMatch(/Z$/)
    expect(JSON.stringify(body)).not.toMatch(/session_?key|openid/i)
  })

  it('creates one person for 100 concurrent first logins of the same openid', async () => {
    const codes = Array.from(
      { length: 100 },
      () => h.sandbox.issueLoginCode({ appId: APP_ID, openid: 'o-crowd' }).code,
    )
    const responses = await Promise.all(codes.map((code) => sendWxLogin(h.app, { code, appId: APP_ID })))
    expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(200))
    const ids = new Set(responses.map((r) => r.json<AuthResult>().user.id))
    expect(ids.size).toBe(1)
    expect(await countRows('users')).toBe(1)
    expect(await countRows('wechat_identities')).toBe(1)
  })

  it('creates one person for 100 concurrent first logins of one openid spread over two instances', async () => {
    const other = await startHarness({ apps: [APP_ID, SECOND_APP_ID], sandbox: h.sandbox })
    try {
      const codes = Array.from(
        { length: 100 },
        () => h.sandbox.issueLoginCode({ appId: APP_ID, openid: 'o-two-doors' }).code,
      )
      const responses = await Promise.all(
        codes.map((code, i) => sendWxLogin(i % 2 ? other.app : h.app, { code, appId: APP_ID })),
      )
      expect(responses.map((r) => r.statusCode)).toEqual(Array(100).fill(200))
      expect(new Set(responses.map((r) => r.json<AuthResult>().user.id)).size).toBe(1)
      // the persons stored by the logins that lost the race are gone, not left behind
      expect(await countRows('users')).toBe(1)
      expect(await countRows('wechat_identities')).toBe(1)
    } finally {
      await other.close()
    }
  })

  it('links a second mini-program’s login with a known unionid to the same person', async () => {
    const inFirst = await login(h, { appId: APP_ID, openid: 'o-app1', unionid: 'u-shared' })
    const inSecond = await login(h, { appId: SECOND_APP_ID, openid: 'o-app2', unionid: 'u-shared' })
    expect(inSecond.userId).toBe(inFirst.userId)
    expect(await countRows('users')).toBe(1)
    expect(await countRows('wechat_identities')).toBe(2)
  })

  it('links concurrent first logins from two mini-programs with one unionid to one person', async () => {
    const logins = await Promise.all([
      login(h, { appId: APP_ID, openid: 'o-x1', unionid: 'u-race' }),
      login(h, { appId: SECOND_APP_ID, openid: 'o-x2', unionid: 'u-race' }),
    ])
    expect(logins[0].userId).toBe(logins[1].userId)
    expect(await countRows('users')).toBe(1)
  })

  it('keeps session_key on the server only', async () => {
    await login(h, { openid: 'o-keys' })
    const [rows] = await h.app.db.execute(sql`SELECT session_key FROM wechat_identities`)
    expect((rows as unknown as { session_key: string }[])[0]!.session_key).toMatch(/^[A-Za-z0-9+/=]{24}$/)
  })

  it('writes a returning person’s new session_key and login time behind the answer, within a moment', async () => {
    const first = await login(h, { openid: 'o-again' })
    const read = async () => {
      const [rows] = await h.app.db.execute(
        sql`SELECT i.session_key, u.last_login_at FROM wechat_identities i JOIN users u ON u.id = i.user_id WHERE u.id = ${first.userId}`,
      )
      return (rows as unknown as { session_key: string; last_login_at: Date }[])[0]!
    }
    const before = await read()
    await new Promise((resolve) => setTimeout(resolve, 20))
    await login(h, { openid: 'o-again' })
    let after = await read()
    for (let i = 0; i < 40 && after.session_key === before.session_key; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      after = await read()
    }
    expect(after.session_key).not.toBe(before.session_key)
    expect(new Date(after.last_login_at).getTime()).toBeGreaterThan(new Date(before.last_login_at).getTime())
  })

  it('records the login time', async () => {
    const person = await login(h)
    const [rows] = await h.app.db.execute(sql`SELECT last_login_at FROM users WHERE id = ${person.userId}`)
    const at = (rows as unknown as { last_login_at: Date }[])[0]!.last_login_at
    expect(Math.abs(new Date(at).getTime() - Date.now())).toBeLessThan(60_000)
  })

  it('requires appId while several mini-programs are configured', async () => {
    const { code } = h.sandbox.issueLoginCode({ appId: APP_ID })
    const response = await sendWxLogin(h.app, { code })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('UNKNOWN_APP')
  })

  it('refuses an unknown appId', async () => {
    const response = await sendWxLogin(h.app, { code: 'x', appId: 'wxunknown000000001' })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('UNKNOWN_APP')
  })

  it.each([
    [{}, 'missing code'],
    [{ code: '' }, 'empty code'],
    [{ code: 12345 }, 'code of the wrong type'],
    [{ code: 'x'.repeat(129) }, 'oversized code'],
    [{ code: 'abc', extra: true }, 'unknown field'],
  ])('answers 400 VALIDATION_FAILED for %j (%s)', async (payload, _why) => {
    const response = await sendWxLogin(h.app, payload)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('answers 400 WECHAT_CODE_INVALID for a code already spent at WeChat', async () => {
    // spent by another client of WeChat: the API has to ask WeChat, which answers 40163 code been used
    const { code } = h.sandbox.issueLoginCode({ appId: APP_ID })
    const secret = h.app.config.WECHAT_APPS.find((app) => app.appId === APP_ID)!.secret
    const query = new URLSearchParams({
      appid: APP_ID,
      secret,
      js_code: code,
      grant_type: 'authorization_code',
    })
    const spent = await fetch(`${h.sandbox.url}/sns/jscode2session?${query}`)
    expect(await spent.json()).toMatchObject({ openid: expect.any(String) })

    for (let attempt = 0; attempt < 2; attempt++) {
      const used = await sendWxLogin(h.app, { code, appId: APP_ID })
      expect(used.statusCode).toBe(400)
      expect(used.json().error.code).toBe('WECHAT_CODE_INVALID')
    }
    // both went to WeChat (a refusal is not remembered) and were refused as a used code
    expect(h.sandbox.stats().outcomes['/sns/jscode2session']).toEqual({ ok: 1, '40163': 2 })
    expect(await countRows('users')).toBe(0)
  })

  it('answers 400 WECHAT_CODE_INVALID to a code this instance already exchanged, never the first login’s token', async () => {
    const { code } = h.sandbox.issueLoginCode({ appId: APP_ID })
    expect((await sendWxLogin(h.app, { code, appId: APP_ID })).statusCode).toBe(200)
    const reused = await sendWxLogin(h.app, { code, appId: APP_ID })
    expect(reused.statusCode).toBe(400)
    expect(reused.json().error.code).toBe('WECHAT_CODE_INVALID')
    expect(reused.json().token).toBeUndefined()
  })

  it('answers 400 WECHAT_CODE_INVALID when a code one instance exchanged is sent to another', async () => {
    const other = await startHarness({ sandbox: h.sandbox, apps: [APP_ID, SECOND_APP_ID] })
    try {
      const { code } = h.sandbox.issueLoginCode({ appId: APP_ID })
      const first = await sendWxLogin(h.app, { code, appId: APP_ID })
      expect(first.statusCode, first.body).toBe(200)
      const reused = await sendWxLogin(other.app, { code, appId: APP_ID })
      expect(reused.statusCode).toBe(400)
      expect(reused.json().error.code).toBe('WECHAT_CODE_INVALID')
      expect(h.sandbox.stats().outcomes['/sns/jscode2session']).toEqual({ ok: 1, '40163': 1 })
    } finally {
      await other.close()
    }
  })

  it('answers 502 WECHAT_UNAVAILABLE and 504 WECHAT_TIMEOUT when WeChat fails', async () => {
    h.sandbox.addFault({ path: '/sns/jscode2session', httpStatus: 500 })
    const failed = await sendWxLogin(h.app, {
      code: h.sandbox.issueLoginCode({ appId: APP_ID }).code,
      appId: APP_ID,
    })
    expect(failed.statusCode).toBe(502)
    expect(failed.json().error.code).toBe('WECHAT_UNAVAILABLE')

    h.sandbox.addFault({ path: '/sns/jscode2session', delayMs: 5000 })
    const slow = await sendWxLogin(h.app, {
      code: h.sandbox.issueLoginCode({ appId: APP_ID }).code,
      appId: APP_ID,
    })
    expect(slow.statusCode).toBe(504)
    expect(slow.json().error.code).toBe('WECHAT_TIMEOUT')
  })
})

describe('silent login with one mini-program', () => {
  let single: Harness
  beforeAll(async () => {
    single = await startHarness()
  })
  afterAll(() => single.close())

  it('needs no appId', async () => {
    const { code } = single.sandbox.issueLoginCode({ appId: APP_ID })
    const response = await sendWxLogin(single.app, { code })
    expect(response.statusCode, response.body).toBe(200)
  })
})

describe('login rate limit', () => {
  let limited: Harness
  beforeAll(async () => {
    limited = await startHarness({ env: { RATE_LIMIT_WX_LOGIN: '3' } })
  })
  afterAll(() => limited.close())

  it('answers 429 RATE_LIMITED past the per-IP limit, with Retry-After', async () => {
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof limited.app.inject>> | undefined
    for (let i = 0; i < 4; i++) {
      last = await sendWxLogin(limited.app, { code: limited.sandbox.issueLoginCode({ appId: APP_ID }).code })
      statuses.push(last.statusCode)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(last!.json().error.code).toBe('RATE_LIMITED')
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0)
  })
})
