import { afterEach, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './support/harness'

let h: Harness | undefined
afterEach(() => h?.close())

/** Admin logins from one real client that forges a new X-Forwarded-For each time, via `proxy`. */
async function forgedAttempts(proxy: string, count: number) {
  const statuses: number[] = []
  for (let i = 0; i < count; i++) {
    const response = await h!.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      remoteAddress: proxy,
      // what a proxy in front sends: the client's own header, then the address it saw
      headers: { 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.9` },
      payload: { username: `nobody-${i}`, password: 'wrong password' },
    })
    statuses.push(response.statusCode)
  }
  return statuses
}

describe('the client address behind proxies (TRUST_PROXY)', () => {
  it('with a hop count, a forged X-Forwarded-For does not escape the per-IP login limit', async () => {
    h = await startHarness({ env: { TRUST_PROXY: '1', RATE_LIMIT_ADMIN_LOGIN: '2' } })
    expect(await forgedAttempts('10.0.0.5', 3)).toEqual([401, 401, 429])
  })

  it('with proxy networks, only those proxies are believed', async () => {
    h = await startHarness({ env: { TRUST_PROXY: '10.0.0.0/8', RATE_LIMIT_ADMIN_LOGIN: '2' } })
    expect(await forgedAttempts('10.0.0.5', 3)).toEqual([401, 401, 429])
    // a client that reaches the API directly speaks only for itself: other clients keep their allowance
    for (const attempt of [1, 2]) {
      const direct = await h.app.inject({
        method: 'POST',
        url: '/api/admin/auth/login',
        remoteAddress: '192.0.2.44',
        headers: { 'x-forwarded-for': '203.0.113.10' },
        payload: { username: `nobody-direct-${attempt}`, password: 'wrong password' },
      })
      expect(direct.statusCode).toBe(401)
    }
    const victim = await h.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      remoteAddress: '10.0.0.5',
      headers: { 'x-forwarded-for': '203.0.113.10' },
      payload: { username: 'nobody-victim', password: 'wrong password' },
    })
    expect(victim.statusCode).toBe(401)
  })
})
