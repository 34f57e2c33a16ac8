import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Pool } from 'mysql2/promise'
import type { Database } from '../../db/client'
import { LoginBookkeeping } from '../../domain/accounts/loginBookkeeping'
import { LoginThrottle } from '../../services/loginThrottle'
import { RateLimiter } from '../../services/rateLimiter'
import type { UserStatusStore } from '../../services/userStatus'
import { WechatClient } from '../../wechat/client'

/** What the domain functions are given: the database, the clock, the zone and the services. */
export interface Domain {
  db: Database
  /** the main pool under `db`, for the reads of every request made on mysql2 directly (`db/hotReads`) */
  pool: Pool
  /** the multi-statement pool, for fixed transaction texts sent in one round trip (`takePlace`) */
  batchPool: Pool
  now: () => Date
  timeZone: string
  wechat: WechatClient
  userStatus: UserStatusStore
  loginBookkeeping: LoginBookkeeping
}

declare module 'fastify' {
  interface FastifyInstance {
    wechat: WechatClient
    rateLimiter: RateLimiter
    adminLoginThrottle: LoginThrottle
    domain: Domain
  }
}

export default fp(
  async function domain(app: FastifyInstance) {
    const wechat = new WechatClient({
      apiBase: app.config.WECHAT_API_BASE,
      apps: app.config.WECHAT_APPS,
      timeoutMs: app.config.WECHAT_TIMEOUT_MS,
      log: app.log.child({ module: 'wechat' }),
      redis: app.redis,
      redisPrefix: app.config.REDIS_PREFIX,
    })
    const rateLimiter = new RateLimiter(app.redis, app.config.REDIS_PREFIX)
    const loginBookkeeping = new LoginBookkeeping(app.dbHandle.pool, app.log)
    // onClose hooks run in reverse order of registration: this one before the pool is closed
    app.addHook('onClose', async () => {
      rateLimiter.close()
      await loginBookkeeping.flush()
    })
    app.decorate('wechat', wechat)
    app.decorate('rateLimiter', rateLimiter)
    app.decorate(
      'adminLoginThrottle',
      new LoginThrottle(app.redis, app.config.REDIS_PREFIX, app.config.RATE_LIMIT_ADMIN_LOGIN),
    )
    app.decorate('domain', {
      db: app.db,
      pool: app.dbHandle.pool,
      batchPool: app.dbHandle.batchPool,
      now: app.now,
      timeZone: app.config.APP_TIMEZONE,
      wechat,
      userStatus: app.userStatus,
      loginBookkeeping,
    })
  },
  { name: 'domain', dependencies: ['database', 'redis', 'auth'] },
)
