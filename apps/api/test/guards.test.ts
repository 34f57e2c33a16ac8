import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { TOKEN_MAX_LENGTH } from '../src/services/tokens'
import { adminToken, bearer, login } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
let admin: string
let userToken: string

beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
  userToken = (await login(h)).token
})
afterAll(() => h.close())

const miniappRoutes = [
  ['GET', '/api/me'],
  ['POST', '/api/me/profile'],
  ['DELETE', '/api/me'],
  ['GET', '/api/slots'],
  ['POST', '/api/bookings'],
  ['GET', '/api/bookings/mine'],
  ['POST', '/api/bookings/1/cancel'],
  ['GET', '/api/staff/bookings'],
  ['POST', '/api/staff/bookings/1/check-in'],
  ['POST', '/api/auth/phone'],
] as const

const adminRoutes = [
  ['GET', '/api/admin/users'],
  ['PATCH', '/api/admin/users/1'],
  ['GET', '/api/admin/staff'],
  ['POST', '/api/admin/staff/import'],
  ['DELETE', '/api/admin/staff/13900000001'],
  ['GET', '/api/admin/slots'],
  ['POST', '/api/admin/slots'],
  ['DELETE', '/api/admin/slots/1'],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/stats'],
] as const

describe('audiences', () => {
  it.each(adminRoutes)('%s %s refuses a mini-program token with 403 FORBIDDEN', async (method, url) => {
    const response = await h.app.inject({ method, url, headers: bearer(userToken), payload: {} })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('FORBIDDEN')
  })

  it.each(miniappRoutes)('%s %s refuses an admin token with 403 FORBIDDEN', async (method, url) => {
    const response = await h.app.inject({ method, url, headers: bearer(admin), payload: {} })
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('FORBIDDEN')
  })

  it.each([...adminRoutes, ...miniappRoutes])(
    '%s %s answers 401 UNAUTHORIZED without a token',
    async (method, url) => {
      const response = await h.app.inject({ method, url, payload: {} })
      expect(response.statusCode).toBe(401)
      expect(response.json().error.code).toBe('UNAUTHORIZED')
    },
  )
})

describe('tokens', () => {
  it.each([
    ['garbage', 'Bearer not-a-token'],
    ['a token signed with another secret', `Bearer ${signedElsewhere()}`],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
  ])('refuses %s with 401', async (_label, authorization) => {
    const response = await h.app.inject({ method: 'GET', url: '/api/me', headers: { authorization } })
    expect(response.statusCode).toBe(401)
    expect(response.json().error.code).toBe('UNAUTHORIZED')
  })

  it('refuses an expired token with 401', async () => {
    const expired = h.app.jwt.sign({
      aud: 'miniapp',
      sub: '1',
      ver: 1,
      app: 'x',
      iid: 1,
      exp: Math.floor(Date.now() / 1000) - 10,
    })
    const response = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(expired) })
    expect(response.statusCode).toBe(401)
  })

  it('refuses a token once it has expired, though it was accepted (and remembered) before', async () => {
    const claims = h.app.jwt.decode<Record<string, unknown>>(userToken)!
    const exp = Math.floor(Date.now() / 1000) + 1
    const soon = h.app.jwt.sign({ ...claims, exp, jti: 'expires-soon' })
    const me = () => h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(soon) })
    expect((await me()).statusCode).toBe(200)
    expect((await me()).statusCode).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50))
    const after = await me()
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('UNAUTHORIZED')
  })

  it('refuses a token longer than any it issues with 401, without verifying it', async () => {
    const [header, body] = userToken.split('.')
    const long = `${header}.${body}${'A'.repeat(TOKEN_MAX_LENGTH)}.c2lnbmF0dXJl`
    const verify = vi.spyOn(h.app.jwt, 'verify')
    const response = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(long) })
    expect(verify).not.toHaveBeenCalled()
    verify.mockRestore()
    expect(response.statusCode).toBe(401)
    expect(response.json().error.code).toBe('UNAUTHORIZED')
  })

  it('refuses a token for a person who does not exist', async () => {
    const ghost = h.app.tokens.issueMiniapp({ sub: '987654', ver: 1, app: 'x', iid: 1 }).token
    const response = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(ghost) })
    expect(response.statusCode).toBe(401)
  })
})

function signedElsewhere() {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')
  const body = Buffer.from(JSON.stringify({ aud: 'admin', sub: '1', name: 'x', exp: 9999999999 })).toString(
    'base64url',
  )
  return `${header}.${body}.c2lnbmF0dXJl`
}

describe('errors', () => {
  it('answers unknown routes with the envelope and 404 NOT_FOUND', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/nothing-here' })
    expect(response.statusCode).toBe(404)
    expect(response.json().error).toMatchObject({ code: 'NOT_FOUND', requestId: expect.any(String) })
  })

  it('answers malformed JSON with 400 VALIDATION_FAILED, never 500', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/auth/wx-login',
      headers: { 'content-type': 'application/json' },
      payload: '{"code": ',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('answers a wrong content type with 400 VALIDATION_FAILED', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/auth/wx-login',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('answers an oversized body with 413 PAYLOAD_TOO_LARGE (2 MB, 8 MB for a staff import)', async () => {
    const tooBig = [
      ['POST', '/api/me/profile', userToken, { nickname: 'x'.repeat(3 * 1024 * 1024) }],
      [
        'POST',
        '/api/admin/staff/import',
        admin,
        { rows: [{ mobile: '1', note: 'x'.repeat(9 * 1024 * 1024) }] },
      ],
    ] as const
    for (const [method, url, token, body] of tooBig) {
      const response = await h.app.inject({
        method,
        url,
        headers: bearer(token, { 'content-type': 'application/json' }),
        payload: JSON.stringify(body),
      })
      expect(response.statusCode, url).toBe(413)
      expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE')
    }
  })

  it('names the fields a validation failed on', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: bearer(userToken),
      payload: { nickname: 'x'.repeat(40) },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.details[0].path).toBe('body.nickname')
  })

  it('echoes a caller-given request id and puts it in the envelope', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { 'x-request-id': 'trace-123' },
    })
    expect(response.headers['x-request-id']).toBe('trace-123')
    expect(response.json().error.requestId).toBe('trace-123')
  })

  it('refuses to start when a route forgets to declare its auth', async () => {
    const { buildApp } = await import('../src/app')
    const app = await buildApp(h.app.config)
    await expect(
      (async () => {
        app.get('/api/undeclared', async () => ({ ok: true }))
        await app.ready()
      })(),
    ).rejects.toThrow(/does not declare config.auth/)
    await app.close().catch(() => undefined)
  })
})

describe("routes that read the caller's row", () => {
  it('fails loudly (500) when a handler takes the row its route did not declare, with or without Redis', async () => {
    const { buildApp } = await import('../src/app')
    const { miniappCallerRow } = await import('../src/plugins/app/auth')
    const app = await buildApp(h.app.config)
    app.get('/api/undeclared-row', { config: { auth: { audience: 'miniapp' } } }, async (request) => ({
      id: miniappCallerRow(request).user.id,
    }))
    app.get(
      '/api/declared-row',
      { config: { auth: { audience: 'miniapp', callerRow: true } } },
      async (request) => ({ id: miniappCallerRow(request).user.id }),
    )
    try {
      const undeclared = await app.inject({ url: '/api/undeclared-row', headers: bearer(userToken) })
      expect(undeclared.statusCode).toBe(500)
      expect(undeclared.json().error.code).toBe('INTERNAL')
      const declared = await app.inject({ url: '/api/declared-row', headers: bearer(userToken) })
      expect(declared.statusCode).toBe(200)
      expect(declared.json().id).toBeGreaterThan(0)
    } finally {
      await app.close()
    }
  })
})

describe('admin login', () => {
  it('answers 401 BAD_CREDENTIALS for a wrong password or an unknown name', async () => {
    for (const payload of [
      { username: 'nobody', password: 'whatever' },
      { username: 'admin1-x', password: 'wrong' },
    ]) {
      const response = await h.app.inject({ method: 'POST', url: '/api/admin/auth/login', payload })
      expect(response.statusCode).toBe(401)
      expect(response.json().error.code).toBe('BAD_CREDENTIALS')
    }
  })

  describe('with the default limit of 10 a minute', () => {
    let limited: Harness
    beforeAll(async () => {
      limited = await startHarness({ env: { RATE_LIMIT_ADMIN_LOGIN: '10' } })
    })
    afterAll(() => limited.close())

    it('answers 429 RATE_LIMITED after 10 attempts for one username, from any IP', async () => {
      const statuses: number[] = []
      for (let i = 0; i < 11; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          remoteAddress: `10.0.0.${i + 1}`,
          payload: { username: 'target', password: `guess-${i}` },
        })
        statuses.push(response.statusCode)
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
      expect(statuses[10]).toBe(429)
    })

    it('answers 429 RATE_LIMITED after 10 attempts from one IP, whatever the names', async () => {
      const statuses: number[] = []
      for (let i = 0; i < 11; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          remoteAddress: '10.9.9.9',
          payload: { username: `name-${i}`, password: 'x' },
        })
        statuses.push(response.statusCode)
      }
      expect(statuses[10]).toBe(429)
    })

    it('refuses an IP over its limit before reading the body: a malformed one gets 429, not 400', async () => {
      for (let i = 0; i < 10; i++) {
        await limited.app.inject({
          method: 'POST',
          url: '/api/admin/auth/login',
          remoteAddress: '10.8.8.8',
          payload: { username: `spray-${i}`, password: 'x' },
        })
      }
      const response = await limited.app.inject({
        method: 'POST',
        url: '/api/admin/auth/login',
        remoteAddress: '10.8.8.8',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": not json',
      })
      expect(response.statusCode).toBe(429)
      expect(response.json().error.code).toBe('RATE_LIMITED')
    })
  })

  it.each(['/api/admin/auth/login', '/api/auth/wx-login'])(
    'refuses a body over 4 KB on %s with 413 PAYLOAD_TOO_LARGE, unparsed',
    async (url) => {
      const response = await h.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: `{"username":"a","password":"${'x'.repeat(5000)}","code":"c"}`,
      })
      expect(response.statusCode).toBe(413)
      expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE')
    },
  )
})

describe('bodies', () => {
  it('reads an empty JSON body as no body (a cancel labelled application/json)', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/bookings/999999/cancel',
      headers: bearer(userToken, { 'content-type': 'application/json' }),
      payload: '',
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('NOT_FOUND')
  })

  it('still refuses a JSON body with __proto__', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: bearer(userToken, { 'content-type': 'application/json' }),
      payload: '{"nickname":"x","__proto__":{"admin":true}}',
    })
    expect(response.statusCode).toBe(400)
  })

  it('takes a staff import of 5000 rows with the longest Chinese names and notes', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({
      mobile: `135${String(i).padStart(8, '0')}`,
      name: '名'.repeat(64),
      note: '注'.repeat(255),
    }))
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows, dryRun: true },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ inserted: 5000, invalid: [] })
  })
})
