import { randomUUID } from 'node:crypto'
import { link, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { isProcessAlive } from './processes'

export interface StateLockOptions {
  /** A lock untouched this long is abandoned; the holder refreshes it while it works. */
  staleMs?: number
  /** How long to wait for another holder before giving up. */
  waitMs?: number
}

interface LockHolder {
  content: string
  pid: number | undefined
  ageMs: number
}

/**
 * Runs `work` while holding `lockPath`, so that parallel test processes do not start two servers on
 * one data directory. Exclusive create is atomic on local filesystems; a lock whose owner died or
 * stopped refreshing it is taken over.
 */
export async function withStateLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: StateLockOptions = {},
): Promise<T> {
  const staleMs = options.staleMs ?? 60_000
  const deadline = Date.now() + (options.waitMs ?? 300_000)
  const content = JSON.stringify({ pid: process.pid, token: randomUUID() })
  for (;;) {
    try {
      await writeFile(lockPath, content, { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = await readHolder(lockPath)
    if (holder && isStale(holder, staleMs)) {
      await removeStaleLock(lockPath, holder.content)
      continue
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${lockPath} is still held by pid ${holder?.pid ?? '?'}; remove it if that process is gone`,
      )
    }
    await sleep(50 + Math.random() * 100)
  }
  const heartbeat = setInterval(() => {
    const now = new Date()
    utimes(lockPath, now, now).catch(() => {})
  }, staleMs / 6)
  heartbeat.unref()
  try {
    return await work()
  } finally {
    clearInterval(heartbeat)
    const current = await readFile(lockPath, 'utf8').catch(() => undefined)
    if (current === content) await rm(lockPath, { force: true })
  }
}

async function readHolder(lockPath: string): Promise<LockHolder | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
    return { content, pid: pidOf(content), ageMs: Date.now() - info.mtimeMs }
  } catch {
    return undefined
  }
}

function pidOf(content: string): number | undefined {
  try {
    const pid = (JSON.parse(content) as { pid?: unknown }).pid
    return typeof pid === 'number' ? pid : undefined
  } catch {
    // Read between the holder's create and its write: not stale, just young.
    return undefined
  }
}

function isStale(holder: LockHolder, staleMs: number): boolean {
  return holder.ageMs > staleMs || (holder.pid !== undefined && !isProcessAlive(holder.pid))
}

/**
 * Two waiters may both judge the same lock stale; renaming it away is atomic, and if what we moved
 * is no longer the lock we judged (someone took it meanwhile), we put it back.
 */
async function removeStaleLock(lockPath: string, judged: string): Promise<void> {
  const moved = `${lockPath}.stale-${process.pid}-${randomUUID()}`
  try {
    await rename(lockPath, moved)
  } catch {
    return
  }
  const content = await readFile(moved, 'utf8').catch(() => '')
  if (content !== judged) await link(moved, lockPath).catch(() => {})
  await rm(moved, { force: true })
}
