import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withStateLock } from '../src/state-lock'
import { removeStateDir, temporaryStateDir } from './support'

describe('the start lock', () => {
  let dir: string
  let lockPath: string

  beforeEach(async () => {
    dir = await temporaryStateDir('lock')
    lockPath = join(dir, 'start.lock')
  })
  afterEach(() => removeStateDir(dir))

  it('lets one holder work at a time', async () => {
    const events: string[] = []
    const work = (name: string) =>
      withStateLock(lockPath, async () => {
        events.push(`${name} in`)
        await sleep(100)
        events.push(`${name} out`)
      })

    await Promise.all([work('a'), work('b'), work('c')])

    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.replace(' in', '')).toBe(events[i + 1]?.replace(' out', ''))
    }
    expect(existsSync(lockPath)).toBe(false)
  })

  it('is released when the work fails', async () => {
    await expect(withStateLock(lockPath, () => Promise.reject(new Error('start failed')))).rejects.toThrow(
      'start failed',
    )

    expect(existsSync(lockPath)).toBe(false)
  })

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync('true').pid
    await writeFile(lockPath, JSON.stringify({ pid: dead, token: 'left-behind' }))

    const started = Date.now()
    expect(await withStateLock(lockPath, async () => 'got it', { waitMs: 5_000 })).toBe('got it')
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('takes over a lock nobody has refreshed for longer than the stale age', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, token: 'hung' }))
    const longAgo = new Date(Date.now() - 120_000)
    await utimes(lockPath, longAgo, longAgo)

    expect(await withStateLock(lockPath, async () => 'got it', { waitMs: 5_000 })).toBe('got it')
  })

  it('gives up waiting for a live holder with the holder named', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, token: 'busy' }))

    await expect(withStateLock(lockPath, async () => 'never', { waitMs: 300 })).rejects.toThrow(
      `${lockPath} is still held by pid ${process.pid}`,
    )
  })
})
