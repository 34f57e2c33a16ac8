import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import { unusableService } from '../../config'

/**
 * Redis is optional (SPEC §5): without REDIS_URL the API keeps its caches and limits in-process,
 * which is right for one instance. With it, they are shared by every instance.
 */
export default fp(
  async function redis(app: FastifyInstance) {
    const url = app.config.REDIS_URL
    if (!url) {
      app.decorate('redis', null)
      return
    }
    const client = new Redis(url, {
      // fail fast instead of queueing commands while Redis is away; callers fall back or refuse
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2000,
      lazyConnect: true,
    })
    let lastError: Error | undefined
    client.on('error', (error) => {
      lastError = error
      app.log.warn({ err: error.message }, 'redis error')
    })
    await client.connect().catch((error: unknown) => {
      client.disconnect()
      // connect() says only "Connection is closed."; the error event said why
      throw unusableService('REDIS_URL', url, lastError ?? error)
    })
    app.decorate('redis', client)
    app.addHook('onClose', async () => {
      await client.quit().catch(() => client.disconnect())
    })
  },
  { name: 'redis' },
)
