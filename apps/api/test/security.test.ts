import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './support/harness'

const ALLOWED = 'https://admin.example.com'
const FOREIGN = 'https://evil.example.net'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ env: { CORS_ORIGINS: `${ALLOWED},http://localhost:5173` } })
})
afterAll(() => h.close())

describe('security headers (helmet)', () => {
  it('are on every answer, API errors included', async () => {
    for (const url of ['/healthz', '/api/me', '/api/no-such-route']) {
      const response = await h.app.inject({ method: 'GET', url })
      expect(response.headers, url).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringMatching(/max-age=\d+/),
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        // avatars are shown by the dashboard and the H5 build, on other origins
        'cross-origin-resource-policy': 'cross-origin',
      })
      expect(response.headers['x-request-id'], url).toMatch(/^[\w.-]+$/)
      expect(response.headers['x-powered-by'], url).toBeUndefined()
    }
  })

  it('are on the answer to a path the router cannot read, which is the SPEC envelope', async () => {
    for (const [method, url] of [
      ['GET', '/api/me%ZZ'],
      ['DELETE', '/api/admin/staff/%E0'],
      ['DELETE', `/api/admin/staff/${'1'.repeat(120)}`],
    ] as const) {
      const response = await h.app.inject({ method, url })
      expect(response.statusCode, url).toBe(400)
      const { error } = response.json()
      expect(error.code, url).toBe('VALIDATION_FAILED')
      expect(error.requestId, url).toBe(response.headers['x-request-id'])
      expect(response.headers['x-content-type-options'], url).toBe('nosniff')
    }
  })
})

describe('CORS (CORS_ORIGINS)', () => {
  it('lets an allowed origin read the answer', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz', headers: { origin: ALLOWED } })
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(response.headers['access-control-expose-headers']).toContain('x-request-id')
    expect(String(response.headers.vary)).toMatch(/origin/i)
  })

  it('answers an allowed origin’s preflight for an authenticated API call', async () => {
    const response = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/admin/users',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    })
    expect(response.statusCode).toBe(204)
    expect(response.headers['access-control-allow-origin']).toBe(ALLOWED)
    expect(response.headers['access-control-allow-methods']).toContain('PATCH')
    expect(String(response.headers['access-control-allow-headers'])).toContain('authorization')
  })

  it('gives a foreign origin no Access-Control-Allow-Origin, on answers and preflights', async () => {
    const simple = await h.app.inject({ method: 'GET', url: '/healthz', headers: { origin: FOREIGN } })
    expect(simple.statusCode).toBe(200)
    expect(simple.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/admin/users',
      headers: { origin: FOREIGN, 'access-control-request-method': 'PATCH' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('does not take an origin that merely starts like an allowed one', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: `${ALLOWED}.evil.example.net` },
    })
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
  })
})
