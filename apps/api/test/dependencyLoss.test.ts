import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '@yuyue/devkit'
import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { login } from './support/actors'
import { APP_ID, databaseUrl, type Harness, resetDatabase, startHarness } from './support/harness'
import { TcpProxy } from './support/tcpProxy'

/** Polls `probe` until it is true or `ms` pass; answers how long it took, or throws. */
async function until(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < ms) {
    if (await probe().catch(() => false)) return Date.now() - started
    await sleep(100)
  }
  throw new Error(`not within ${ms} ms`)
}

describe('the database going away (a node down, the proxy lost)', () => {
  const target = new URL(databaseUrl())
  const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 3306) })
  let h: Harness

  beforeAll(async () => {
    await proxy.start()
    const proxied = new URL(target)
    proxied.host = `127.0.0.1:${proxy.port}`
    h = await startHarness({ env: { DATABASE_URL: proxied.toString() } })
    await resetDatabase(h.app)
  })
  afterAll(async () => {
    await h.close().catch(() => undefined)
    await proxy.cut()
  })

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After while it lasts, never 500, then recovers by itself', async () => {
    const person = await login(h)
    const mine = () => h.app.inject({ method: 'GET', url: '/api/me', headers: person.auth() })
    expect((await mine()).statusCode).toBe(200)

    await proxy.cut()
    for (const response of [
      await mine(),
      await h.app.inject({
        method: 'POST',
        url: '/api/auth/wx-login',
        payload: { code: h.sandbox.issueLoginCode({ appId: APP_ID }).code },
      }),
    ]) {
      expect(response.statusCode, response.body).toBe(503)
      expect(response.json().error.code).toBe('SERVICE_UNAVAILABLE')
      expect(response.json().error.requestId).toBe(response.headers['x-request-id'])
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0)
    }
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json().checks.database).toBe('fail')
    // an outage is the operator's problem, not a bug: no error-level line for it
    expect(h.logs.some((line) => line.includes('"level":50'))).toBe(false)

    await proxy.start()
    await until(5000, async () => (await mine()).statusCode === 200)
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
  })
})

describe('a Redis failover (REDIS_URL through a proxy, or Sentinel)', () => {
  const first = new URL(inject('redisUrl'))
  const proxy = new TcpProxy({ host: first.hostname, port: Number(first.port || 6379) })
  const prefix = `yuyue-test-${randomBytes(4).toString('hex')}:`
  let replicaPort = 0
  let replicaProcess: ReturnType<typeof spawn> | undefined
  let h: Harness

  beforeAll(async () => {
    // the replica that becomes primary: another server, holding what the old one had replicated
    replicaPort = await freePort()
    replicaProcess = spawn(
      'redis-server',
      ['--port', String(replicaPort), '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    )
    await until(5000, async () => {
      const probe = new Redis({ port: replicaPort, lazyConnect: true, maxRetriesPerRequest: 0 })
      probe.on('error', () => {})
      try {
        await probe.connect()
        return (await probe.ping()) === 'PONG'
      } finally {
        probe.disconnect()
      }
    })
    await proxy.start()
    h = await startHarness({
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix },
    })
    await resetDatabase(h.app)
  })
  afterAll(async () => {
    await h.close().catch(() => undefined)
    await proxy.cut()
    replicaProcess?.kill('SIGTERM')
  })

  it('drops the cached user statuses, so a person disabled just before it does not get through', async () => {
    const person = await login(h)
    const bookings = () => h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
    await until(3000, async () => h.app.redisPrimary.trusted())
    expect((await bookings()).statusCode).toBe(200)
    const key = `${prefix}user-status:${person.userId}`
    const cached = await h.app.redis!.get(key)
    expect(cached, 'the status was cached').toBeTruthy()

    // the replica received the cached value; the disabling's marks never reached it
    const replica = new Redis({ port: replicaPort })
    try {
      await replica.set(key, cached!)
      await h.app.db.execute(sql`UPDATE users SET is_deleted = 1 WHERE id = ${person.userId}`)

      await proxy.cut()
      proxy.target = { host: '127.0.0.1', port: replicaPort }
      await proxy.start()
      await until(5000, async () => (await h.app.redis!.ping()) === 'PONG' && h.app.redisPrimary.trusted())

      const response = await bookings()
      expect(response.statusCode, response.body).toBe(403)
      expect(response.json().error.code).toBe('USER_DISABLED')
      expect(await replica.get(key)).toBeNull()
    } finally {
      replica.disconnect()
    }
  })
})
