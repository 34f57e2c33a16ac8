import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis, type RedisOptions } from 'ioredis'
import { unusableService } from '../../config'

/**
 * Which Redis server this instance is talking to. After a failover the new primary may lack the
 * last writes of the old one (replication is asynchronous), so caches that must never be stale
 * are not trusted from the moment the connection drops until the server is known (`trusted`),
 * and are dropped when it turned out to be another server (`onPrimaryChange`).
 */
export interface RedisPrimary {
  trusted(): boolean
  onPrimaryChange(listener: () => Promise<void>): void
}

declare module 'fastify' {
  interface FastifyInstance {
    redisPrimary: RedisPrimary
  }
}

// fail fast instead of queueing commands while Redis is away; callers fall back or answer 503
const COMMON: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true,
  connectTimeout: 2000,
  lazyConnect: true,
}

function sentinelOptions(sentinels: string, name: string, url: string | undefined): RedisOptions {
  const auth = url ? new URL(url) : undefined
  return {
    ...COMMON,
    sentinels: sentinels.split(',').map((entry) => {
      const [host = '', port = '26379'] = entry.trim().split(':')
      return { host, port: Number(port) }
    }),
    name,
    // Sentinel's +switch-master moves the connection at once instead of on its next error
    failoverDetector: true,
    ...(auth?.password ? { password: decodeURIComponent(auth.password) } : {}),
    ...(auth?.username ? { username: decodeURIComponent(auth.username) } : {}),
    ...(auth && auth.pathname.length > 1 ? { db: Number(auth.pathname.slice(1)) } : {}),
  }
}

/**
 * Redis is optional (SPEC §5): without REDIS_URL or REDIS_SENTINELS the API keeps its caches and
 * limits in-process, which is right for one instance. With it, they are shared by every instance.
 */
export default fp(
  async function redis(app: FastifyInstance) {
    const { REDIS_URL: url, REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: name } = app.config
    if (!url && !sentinels) {
      app.decorate('redis', null)
      app.decorate('redisPrimary', { trusted: () => false, onPrimaryChange: () => {} })
      return
    }
    const client = sentinels ? new Redis(sentinelOptions(sentinels, name, url)) : new Redis(url!, COMMON)
    const variable = sentinels ? 'REDIS_SENTINELS' : 'REDIS_URL'
    const where = sentinels ? `redis-sentinel://${sentinels.split(',')[0]}/${name}` : url!
    let lastError: Error | undefined
    client.on('error', (error) => {
      lastError = error
      app.log.warn({ err: error.message }, 'redis error')
    })

    const listeners: (() => Promise<void>)[] = []
    let runId: string | undefined
    let trusted = false
    client.on('close', () => {
      trusted = false
    })
    client.on('ready', () => {
      client
        .info('server')
        .then(async (info) => {
          const current = /run_id:(\w+)/.exec(info)?.[1]
          if (runId && current !== runId) {
            app.log.warn({ from: runId, to: current }, 'redis is another server now: dropping its caches')
            await Promise.all(listeners.map((listener) => listener()))
          }
          runId = current
          trusted = true
        })
        .catch((error: unknown) => {
          // stays untrusted; the next reconnection tries again
          app.log.warn({ err: (error as Error).message }, 'redis server could not be identified')
        })
    })
    app.decorate('redisPrimary', {
      trusted: () => trusted,
      onPrimaryChange: (listener) => listeners.push(listener),
    })

    await client.connect().catch((error: unknown) => {
      client.disconnect()
      // connect() says only "Connection is closed."; the error event said why
      throw unusableService(variable, where, lastError ?? error)
    })
    app.decorate('redis', client)
    app.addHook('onClose', async () => {
      await client.quit().catch(() => client.disconnect())
    })
  },
  { name: 'redis' },
)
