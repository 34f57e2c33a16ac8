import { afterAll, beforeAll, expect, it } from 'vitest'
import { drain } from '../src/app'
import { APP_ID, type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
let base = ''
beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  base = await h.app.listen({ port: 0, host: '127.0.0.1' })
})
let drained = false
// drain closed the app; only the sandbox is left then
afterAll(() => (drained ? h.sandbox.close() : h.close()))

it('a drained instance says unready at once, answers the request in flight, then stops listening', async () => {
  h.sandbox.addFault({ path: '/sns/jscode2session', delayMs: 1200 })
  const inFlight = fetch(`${base}/api/auth/wx-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: h.sandbox.issueLoginCode({ appId: APP_ID }).code, appId: APP_ID }),
  })
  await new Promise((resolve) => setTimeout(resolve, 200))

  const draining = drain(h.app, 400)
  const ready = await fetch(`${base}/readyz`)
  expect(ready.status).toBe(503)
  expect(((await ready.json()) as { checks: Record<string, string> }).checks.draining).toBe('fail')
  // still served during the delay, while the load balancer takes the instance out
  expect((await fetch(`${base}/docs/json`)).status).toBe(200)

  await draining
  drained = true
  const answered = await inFlight
  expect(answered.status, await answered.clone().text()).toBe(200)
  expect(((await answered.json()) as { token?: string }).token).toBeTruthy()
  await expect(fetch(`${base}/healthz`)).rejects.toThrow()
})
