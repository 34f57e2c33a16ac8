import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { WechatApp } from '../config'
import { AppError } from '../errors'
import { callWechat, type Deadline, WechatApiError } from './transport'

interface CachedToken {
  token: string
  /** epoch ms from which a fresh token is fetched (before WeChat's own expiry) */
  refreshAt: number
}

/** WeChat's stable_token hands out a new token in the last 5 minutes of the old one's life. */
const REFRESH_MARGIN_MS = 5 * 60_000
const LOCK_TTL_MS = 10_000
const LOCK_POLL_MS = 40

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function refreshAtFor(expiresInSeconds: number, now = Date.now()): number {
  const lifetime = expiresInSeconds * 1000
  return now + Math.max(lifetime - REFRESH_MARGIN_MS, lifetime / 2)
}

// Deletes the shared token only if it is still the one reported bad (another instance may have
// replaced it already), and releases the fetch lock only if this caller still owns it.
const DEL_IF_TOKEN = `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`
const DEL_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`

/**
 * The access token of each configured mini-program, from `stable_token` only (`/cgi-bin/token`
 * would cancel the token every other instance holds). Cached until shortly before expiry; one
 * fetch at a time per process (shared promise) and, with Redis, per cluster (a lock, and the
 * token itself stored in Redis for the other instances).
 */
export class AccessTokenManager {
  private readonly local = new Map<string, CachedToken>()
  private readonly inflight = new Map<string, Promise<string>>()

  constructor(
    private readonly base: string,
    private readonly apps: Map<string, WechatApp>,
    private readonly log: FastifyBaseLogger,
    private readonly redis: Redis | null,
    private readonly keyPrefix: string,
  ) {}

  async get(appId: string, deadline: Deadline): Promise<string> {
    const cached = this.local.get(appId)
    if (cached && cached.refreshAt > Date.now()) return cached.token
    let pending = this.inflight.get(appId)
    if (!pending) {
      pending = this.obtain(appId, deadline).finally(() => this.inflight.delete(appId))
      this.inflight.set(appId, pending)
    }
    return pending
  }

  /** WeChat said `token` is invalid or expired: forget it here and, with Redis, everywhere. */
  async invalidate(appId: string, token: string): Promise<void> {
    if (this.local.get(appId)?.token === token) this.local.delete(appId)
    const redis = this.redis
    if (redis) {
      await this.shared(appId, 'dropping', () => redis.eval(DEL_IF_TOKEN, 1, this.tokenKey(appId), token))
    }
  }

  /**
   * A Redis call on the token path. The caller cannot get a token without it, so Redis failing
   * (down, refusing, timing out, a failover under way) is 503 SERVICE_UNAVAILABLE (SPEC §8), not a
   * raw 500. Logged at error level because it is an operator's problem, not the user's.
   */
  private async shared<T>(appId: string, doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      this.log.error({ appId, err: error }, `redis failed while ${doing} the wechat access token`)
      throw new AppError('SERVICE_UNAVAILABLE')
    }
  }

  private tokenKey(appId: string) {
    return `${this.keyPrefix}wechat:token:${appId}`
  }

  private async obtain(appId: string, deadline: Deadline): Promise<string> {
    const fresh = this.redis
      ? await this.obtainShared(this.redis, appId, deadline)
      : await this.fetch(appId, deadline)
    this.local.set(appId, fresh)
    return fresh.token
  }

  private async readShared(redis: Redis, appId: string): Promise<CachedToken | null> {
    const raw = await this.shared(appId, 'reading', () => redis.get(this.tokenKey(appId)))
    if (!raw) return null
    const cached = JSON.parse(raw) as CachedToken
    return cached.refreshAt > Date.now() ? cached : null
  }

  private async obtainShared(redis: Redis, appId: string, deadline: Deadline): Promise<CachedToken> {
    const lockKey = `${this.keyPrefix}wechat:token-lock:${appId}`
    const owner = randomUUID()
    while (Date.now() < deadline.at) {
      const shared = await this.readShared(redis, appId)
      if (shared) return shared
      const locked = await this.shared(appId, 'locking', () =>
        redis.set(lockKey, owner, 'PX', LOCK_TTL_MS, 'NX'),
      )
      if (locked) {
        try {
          // another instance may have stored a token between our read and our lock
          const again = await this.readShared(redis, appId)
          if (again) return again
          const fresh = await this.fetch(appId, deadline)
          await this.shared(appId, 'storing', () =>
            redis.set(
              this.tokenKey(appId),
              JSON.stringify(fresh),
              'PX',
              Math.max(1, fresh.refreshAt - Date.now()),
            ),
          )
          return fresh
        } finally {
          // the lock expires on its own: failing to release it must not hide the outcome above
          await redis.eval(DEL_IF_OWNER, 1, lockKey, owner).catch((error: unknown) => {
            this.log.error({ appId, err: error }, 'redis failed while unlocking the wechat access token')
          })
        }
      }
      await sleep(LOCK_POLL_MS)
    }
    throw new AppError('WECHAT_TIMEOUT')
  }

  private async fetch(appId: string, deadline: Deadline): Promise<CachedToken> {
    const app = this.apps.get(appId)
    if (!app) throw new AppError('UNKNOWN_APP')
    try {
      const answer = await callWechat<{ access_token: string; expires_in: number }>(
        this.base,
        {
          method: 'POST',
          path: '/cgi-bin/stable_token',
          query: {},
          body: {
            grant_type: 'client_credential',
            appid: app.appId,
            secret: app.secret,
            force_refresh: false,
          },
        },
        deadline,
        this.log,
      )
      this.log.info({ appId, expiresIn: answer.expires_in }, 'wechat access token fetched')
      return { token: answer.access_token, refreshAt: refreshAtFor(answer.expires_in) }
    } catch (error) {
      if (error instanceof WechatApiError) {
        // 40013/40125 mean WECHAT_APPS is wrong: an operator problem, not the user's
        this.log.error({ appId, errcode: error.errcode }, 'wechat refused the access token request')
        throw new AppError('WECHAT_UNAVAILABLE')
      }
      throw error
    }
  }
}
