import { afterAll, beforeAll, expect, it } from 'vitest'
import { login } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
})
afterAll(() => h.close().catch(() => undefined))

it('answers 500 INTERNAL with the request id and no details when the database fails', async () => {
  const person = await login(h)
  await h.app.dbHandle.pool.end()
  const response = await h.app.inject({ method: 'GET', url: '/api/me', headers: person.auth() })
  expect(response.statusCode).toBe(500)
  const { error } = response.json()
  expect(error).toEqual({
    code: 'INTERNAL',
    message: '服务器内部错误',
    requestId: response.headers['x-request-id'],
  })
  expect(h.logs.some((line) => line.includes('"level":50') && line.includes(String(error.requestId)))).toBe(
    true,
  )
})
