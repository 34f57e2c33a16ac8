import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureRedis, freePort, stopLocalRedis } from '../src/index'
import { redisPaths } from '../src/local-redis'
import { isProcessAlive } from '../src/processes'
import { pingRedis } from '../src/redis-server'
import { ensureInChildProcess, quiet, readPid, removeStateDir, temporaryStateDir } from './support'

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null })
  try {
    return await client.ping()
  } finally {
    client.disconnect()
  }
}

describe('a project-local redis-server when REDIS_URL does not answer', () => {
  let stateDir: string
  let closedUrl: string

  beforeAll(async () => {
    stateDir = await temporaryStateDir('redis')
    closedUrl = `redis://127.0.0.1:${await freePort()}`
  })

  afterAll(async () => {
    await stopLocalRedis(stateDir)
    await removeStateDir(stateDir)
  }, 30_000)

  it('starts one that answers PING, and the next call reuses it', async () => {
    const started = await ensureRedis({ url: closedUrl, stateDir, log: quiet })

    expect(started.source).toBe('local')
    expect(started.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/)
    expect(started.url).not.toBe(closedUrl)
    expect(await ping(started.url)).toBe('PONG')
    const pid = readPid(redisPaths(stateDir).pidFile)

    const again = await ensureRedis({ url: closedUrl, stateDir, log: quiet })

    expect(again).toEqual(started)
    expect(readPid(redisPaths(stateDir).pidFile)).toBe(pid)
  }, 30_000)

  it('starts it again after its process was killed', async () => {
    const killed = readPid(redisPaths(stateDir).pidFile)
    process.kill(killed, 'SIGKILL')
    await expect.poll(() => isProcessAlive(killed), { timeout: 10_000 }).toBe(false)

    const restarted = await ensureRedis({ url: closedUrl, stateDir, log: quiet })

    expect(await ping(restarted.url)).toBe('PONG')
    expect(readPid(redisPaths(stateDir).pidFile)).not.toBe(killed)
  }, 30_000)

  it('is still running after the process that started it has exited', async () => {
    const otherDir = await temporaryStateDir('redis-child')
    try {
      const result = await ensureInChildProcess('redis', closedUrl, otherDir)

      expect(result.source).toBe('local')
      expect(await ping(result.url)).toBe('PONG')
    } finally {
      await stopLocalRedis(otherDir)
      await removeStateDir(otherDir)
    }
  }, 60_000)

  it('stopLocalRedis stops it', async () => {
    const { url } = await ensureRedis({ url: closedUrl, stateDir, log: quiet })

    expect(await stopLocalRedis(stateDir)).toBe(true)
    expect((await pingRedis(url)).state).toBe('unreachable')
    expect(await stopLocalRedis(stateDir)).toBe(false)
  }, 30_000)
})

describe('a configured Redis that answers', () => {
  it("is used as is (the machine's own on 6379, or one started for the test)", async () => {
    const systemUrl = 'redis://127.0.0.1:6379'
    const systemAnswers = (await pingRedis(systemUrl)).state === 'ready'
    const stateDir = await temporaryStateDir('redis-existing')
    try {
      const url = systemAnswers
        ? systemUrl
        : (await ensureRedis({ url: `redis://127.0.0.1:${await freePort()}`, stateDir, log: quiet })).url

      expect(await ensureRedis({ url, stateDir, log: quiet })).toEqual({ url, source: 'existing' })
    } finally {
      await stopLocalRedis(stateDir)
      await removeStateDir(stateDir)
    }
  }, 30_000)
})
