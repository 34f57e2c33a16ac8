import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { placeTaker } from '../../db/queries/takePlace'
import { LoginBookkeeping } from '../../domain/accounts/loginBookkeeping'
import type { Deps } from '../../domain/deps'
import { LoginThrottle } from '../../services/loginThrottle'
import { RateLimiter } from '../../services/rateLimiter'
import { WechatClient } from '../../wechat/client'

/** What the domain functions are given (one shape: `domain/deps.ts`). */
export type Domain = Deps

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
    const loginBookkeeping = new LoginBookkeeping(app.db, app.log)
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
      takePlace: placeTaker(app.db),
      now: app.now,
      timeZone: app.config.APP_TIMEZONE,
      subscribeTemplates: app.config.WECHAT_TEMPLATES,
      reminderLeadMinutes: app.config.REMINDER_LEAD_MINUTES,
      wechat,
      userStatus: app.userStatus,
      loginBookkeeping,
    })
  },
  { name: 'domain', dependencies: ['database', 'redis', 'auth'] },
)
