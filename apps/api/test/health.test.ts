import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './support/harness'

describe('health and documentation', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ redis: true })
  })
  afterAll(() => h.close())

  it('answers /healthz', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz' })
    expect(response.json()).toEqual({ status: 'ok' })
  })

  it('answers /readyz with the database and Redis checked', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' } })
  })

  it('serves the OpenAPI document generated from the contracts, and its UI', async () => {
    const json = await h.app.inject({ method: 'GET', url: '/docs/json' })
    const doc = json.json<{
      openapi: string
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>
    }>()
    expect(doc.openapi).toMatch(/^3\./)
    for (const path of [
      '/api/auth/wx-login',
      '/api/auth/phone',
      '/api/admin/staff/import',
      '/api/staff/bookings/{id}/check-in',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    const login = doc.paths['/api/auth/wx-login']!.post!
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['200', '4XX', '5XX']))
    const ui = await h.app.inject({ method: 'GET', url: '/docs' })
    expect([200, 302]).toContain(ui.statusCode)
  })
})

describe('readiness when a dependency is down', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ redis: true })
  })
  afterAll(() => h.close())

  it('answers 503 with the failing check named', async () => {
    h.app.redis!.disconnect()
    const response = await h.app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', redis: 'fail' } })
  })
})
