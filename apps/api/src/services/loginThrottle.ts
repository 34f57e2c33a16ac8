import type { Redis } from 'ioredis'

/** Failures from one address on one account before each further one makes it wait. */
const FREE_FAILURES = 5
/** The longest wait one address can be given for one account. */
const MAX_BACKOFF_MS = 15 * 60_000
/** How long failures are remembered, and how long a successful address stays known. */
const FAILURE_MEMORY_MS = 15 * 60_000
const KNOWN_ADDRESS_MS = 30 * 86_400_000

export interface ThrottleVerdict {
  allowed: boolean
  /** seconds until the next attempt may be made */
  retryAfter: number
}

// Redis first, this process when Redis is not configured or cannot be reached
interface Store {
  increment(key: string, ttlMs: number): Promise<number>
  setFor(key: string, ttlMs: number): Promise<void>
  /** milliseconds the key still lives, 0 when absent */
  remaining(key: string): Promise<number>
  remove(...keys: string[]): Promise<void>
}

class MemoryStore implements Store {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>()

  async increment(key: string, ttlMs: number) {
    const now = Date.now()
    const entry = this.entries.get(key)
    const value = entry && entry.expiresAt > now ? entry.value + 1 : 1
    this.entries.set(key, { value, expiresAt: now + ttlMs })
    if (this.entries.size > 100_000) this.sweep(now)
    return value
  }

  async setFor(key: string, ttlMs: number) {
    this.entries.set(key, { value: 1, expiresAt: Date.now() + ttlMs })
  }

  async remaining(key: string) {
    const entry = this.entries.get(key)
    return entry ? Math.max(0, entry.expiresAt - Date.now()) : 0
  }

  async remove(...keys: string[]) {
    for (const key of keys) this.entries.delete(key)
  }

  private sweep(now: number) {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key)
  }
}

class RedisStore implements Store {
  constructor(private readonly redis: Redis) {}

  async increment(key: string, ttlMs: number) {
    const [[, value] = []] = (await this.redis.multi().incr(key).pexpire(key, ttlMs).exec()) ?? []
    return Number(value)
  }

  async setFor(key: string, ttlMs: number) {
    await this.redis.set(key, '1', 'PX', ttlMs)
  }

  async remaining(key: string) {
    return Math.max(0, await this.redis.pttl(key))
  }

  async remove(...keys: string[]) {
    await this.redis.del(...keys)
  }
}

/**
 * Slows password guessing on the admin login without letting a guesser lock an admin out.
 *
 * - Per account and address: after a few failures each further one doubles the wait (1 s, 2 s, …,
 *   at most 15 minutes) before that address may try that account again.
 * - Per account: at most `perAccountLimit` attempts a minute, but only from addresses that have
 *   not logged in to it successfully in the last 30 days; the admin's own usual address is never
 *   held back by what others do.
 *
 * Shared through Redis when configured, so every instance counts together.
 */
export class LoginThrottle {
  private readonly memory = new MemoryStore()
  private readonly shared: Store | null

  constructor(
    redis: Redis | null,
    private readonly prefix: string,
    private readonly perAccountLimit: number,
  ) {
    this.shared = redis ? new RedisStore(redis) : null
  }

  /** Whether `address` may try `account` now; counts the attempt against the account's ceiling. */
  async check(account: string, address: string): Promise<ThrottleVerdict> {
    if (this.perAccountLimit <= 0) return { allowed: true, retryAfter: 0 }
    return this.withStore(async (store) => {
      const waiting = await store.remaining(this.key('wait', account, address))
      if (waiting > 0) return { allowed: false, retryAfter: Math.ceil(waiting / 1000) }
      if ((await store.remaining(this.key('known', account, address))) > 0)
        return { allowed: true, retryAfter: 0 }
      const ceiling = this.key('ceiling', account)
      const attempts = await store.increment(ceiling, 60_000)
      if (attempts <= this.perAccountLimit) return { allowed: true, retryAfter: 0 }
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((await store.remaining(ceiling)) / 1000)) }
    })
  }

  async failed(account: string, address: string): Promise<void> {
    if (this.perAccountLimit <= 0) return
    await this.withStore(async (store) => {
      const failures = await store.increment(this.key('failures', account, address), FAILURE_MEMORY_MS)
      if (failures < FREE_FAILURES) return
      const waitMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - FREE_FAILURES))
      await store.setFor(this.key('wait', account, address), waitMs)
    })
  }

  async succeeded(account: string, address: string): Promise<void> {
    if (this.perAccountLimit <= 0) return
    await this.withStore(async (store) => {
      await store.remove(this.key('failures', account, address), this.key('wait', account, address))
      await store.setFor(this.key('known', account, address), KNOWN_ADDRESS_MS)
    })
  }

  private key(kind: string, account: string, address?: string): string {
    return `${this.prefix}admin-login:${kind}:${account}${address === undefined ? '' : `:${address}`}`
  }

  private async withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.shared) {
      try {
        return await work(this.shared)
      } catch {
        // Redis away: count in this process rather than refuse every admin login
      }
    }
    return work(this.memory)
  }
}
