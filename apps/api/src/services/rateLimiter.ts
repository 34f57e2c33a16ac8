import type { Redis } from 'ioredis'

export interface RateLimitVerdict {
  allowed: boolean
  /** seconds until the window resets */
  retryAfter: number
}

// INCR and set the window's expiry on the first hit, atomically.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`

/**
 * Fixed-window counters keyed by what is limited (an IP, a username). In Redis when configured,
 * so every instance counts together; otherwise in this process.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()
  private readonly sweeper: NodeJS.Timeout

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000)
    this.sweeper.unref()
  }

  async hit(key: string, limit: number, windowMs = 60_000): Promise<RateLimitVerdict> {
    if (limit <= 0) return { allowed: true, retryAfter: 0 }
    if (this.redis) {
      try {
        const [count, ttl] = (await this.redis.eval(HIT, 1, `${this.prefix}rate:${key}`, windowMs)) as [
          number,
          number,
        ]
        return { allowed: count <= limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) }
      } catch {
        // Redis away: count here rather than refuse every login
      }
    }
    const now = Date.now()
    let window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return {
      allowed: window.count <= limit,
      retryAfter: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    }
  }

  close() {
    clearInterval(this.sweeper)
  }

  private sweep() {
    const now = Date.now()
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
