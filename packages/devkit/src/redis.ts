import { join } from 'node:path'
import { redactUrl } from './database-url'
import { ensureLocalRedis, stopLocalRedisServer } from './local-redis'
import { pingRedis } from './redis-server'
import { repoRoot } from './repo-root'
import { defaultLog, type EnsuredService, type EnsureServiceOptions } from './service'

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

export function defaultRedisStateDir(): string {
  return join(repoRoot(), '.local', 'redis')
}

/** A Redis that answers PING: the configured one if it is up, otherwise a project-local redis-server. */
export async function ensureRedis(options: EnsureServiceOptions = {}): Promise<EnsuredService> {
  const configured = options.url ?? process.env.REDIS_URL
  const url = configured ?? DEFAULT_REDIS_URL
  const log = options.log ?? defaultLog
  const probe = await pingRedis(url)
  if (probe.state === 'ready') return { url, source: 'existing' }
  if (probe.state === 'refused' && configured !== undefined) {
    throw new Error(`${redactUrl(url)} answers but refuses us (${probe.reason}); fix REDIS_URL or unset it`)
  }
  const stateDir = options.stateDir ?? defaultRedisStateDir()
  log(
    `${redactUrl(url)} is not usable (${probe.reason}); using the project-local redis-server in ${stateDir}`,
  )
  const port = await ensureLocalRedis(stateDir, log)
  const database = new URL(url).pathname.replace(/^\/$/, '')
  return { url: `redis://127.0.0.1:${port}${database}`, source: 'local' }
}

/** Stops the project-local redis-server (tests, cleanup); false when none was running. */
export function stopLocalRedis(stateDir: string = defaultRedisStateDir()): Promise<boolean> {
  return stopLocalRedisServer(stateDir)
}
