import type { MiniappRole } from '@yuyue/contracts'
import type { Redis } from 'ioredis'
import type { Database } from '../db/client'
import { personWithOpenid, userById } from '../db/queries/people'
import type { UserRow } from '../db/schema'

/** What every authenticated mini-program request needs to know fresh (SPEC §3). */
export interface UserStatus {
  isDeleted: boolean
  role: MiniappRole
  tokenVersion: number
  /** the whole row, when the status was read from the database (not from the cache) */
  row?: UserRow
  /** the openid of the identity the guard asked about (`withOpenid`), read with the row */
  openid?: string
}

const VALUE_TTL_SECONDS = 600
/** How long a crashed writer can keep readers on the database: after it, caching resumes. */
const PENDING_TTL_SECONDS = 60
/** Longer than any request that read the old primary before a failover can still be running. */
const SETTLE_MS = 10_000

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// Fill the cache only if no write is in flight and none finished since the reader looked.
const FILL = `
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
local gen = redis.call('GET', KEYS[3]) or ''
if pending > 0 or gen ~= ARGV[2] then return 0 end
return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3], 'NX') and 1 or 0`

export type MarkChanging = (userIds: number[]) => Promise<void>

/**
 * The status of users as the guard reads it on every request. Without Redis it is read from the
 * database each time (always right, one primary-key lookup). With Redis it is cached and shared by
 * every instance, with no stale window: a writer raises a "pending" counter and drops the value
 * before its transaction commits (readers go to the database meanwhile), and bumps a generation
 * after, so a reader that looked before the commit cannot put an old value back.
 */
export class UserStatusStore {
  /** epoch ms until which the cache is neither read nor filled, after a Redis failover */
  private settlingUntil = 0

  constructor(
    /** the status is read with the whole row (`userById`), which the route usually needs too */
    private readonly db: Database,
    private readonly redis: Redis | null,
    private readonly prefix: string,
    /** false from a lost connection until the server is known again: it may be a new primary */
    private readonly redisTrusted: () => boolean = () => true,
  ) {}

  /**
   * Redis is another server now (a Sentinel failover): the new primary may hold a value the old
   * one had already dropped, or miss a pending mark, so a disabled person could pass on it. Every
   * cached status is dropped, and for a while none is read or filled, so a read that began before
   * the failover cannot put an old value back.
   */
  async forgetAll(): Promise<void> {
    const redis = this.redis
    if (!redis) return
    this.settlingUntil = Date.now() + SETTLE_MS
    const value = new RegExp(`^${escapeRegExp(this.prefix)}user-status:\\d+$`)
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}user-status:*`, 'COUNT', 500)
      const values = keys.filter((key) => value.test(key))
      if (values.length) await redis.unlink(...values)
      cursor = next
    } while (cursor !== '0')
    this.settlingUntil = Date.now() + SETTLE_MS
  }

  private cacheUsable(): boolean {
    return this.redisTrusted() && Date.now() >= this.settlingUntil
  }

  private keys(userId: number) {
    const base = `${this.prefix}user-status:${userId}`
    return { value: base, pending: `${base}:pending`, gen: `${base}:gen` }
  }

  async get(userId: number): Promise<UserStatus | null> {
    if (!this.redis || !this.cacheUsable()) return this.fromDatabase(userId)
    const keys = this.keys(userId)
    let cached: [string | null, string | null, string | null]
    try {
      cached = (await this.redis.mget(keys.value, keys.pending, keys.gen)) as typeof cached
    } catch {
      return this.fromDatabase(userId)
    }
    const [value, pending, gen] = cached
    if (value && !(Number(pending) > 0)) return JSON.parse(value) as UserStatus
    const status = await this.fromDatabase(userId)
    if (status && !(Number(pending) > 0)) {
      // only the status is shared; the row is this request's alone
      const { row: _row, ...shared } = status
      await this.redis
        .eval(
          FILL,
          3,
          keys.value,
          keys.pending,
          keys.gen,
          JSON.stringify(shared),
          gen ?? '',
          VALUE_TTL_SECONDS,
        )
        .catch(() => undefined)
    }
    return status
  }

  /**
   * Runs a write that changes the status of some users. `work` calls `mark(ids)` inside its
   * transaction, before the change, for every user it changes; if marking fails (Redis away) the
   * transaction fails too, so no instance can keep serving an old status.
   */
  async changing<T>(work: (mark: MarkChanging) => Promise<T>): Promise<T> {
    const redis = this.redis
    if (!redis) return work(async () => undefined)
    const marked = new Set<number>()
    const mark: MarkChanging = async (userIds) => {
      const fresh = userIds.filter((id) => !marked.has(id))
      if (fresh.length === 0) return
      const pipeline = redis.multi()
      for (const id of fresh) {
        const keys = this.keys(id)
        pipeline.incr(keys.pending).expire(keys.pending, PENDING_TTL_SECONDS).del(keys.value)
      }
      await pipeline.exec()
      for (const id of fresh) marked.add(id)
    }
    try {
      return await work(mark)
    } finally {
      if (marked.size > 0) {
        const pipeline = redis.multi()
        for (const id of marked) {
          const keys = this.keys(id)
          pipeline
            .incr(keys.gen)
            .expire(keys.gen, VALUE_TTL_SECONDS * 2)
            .del(keys.value)
            .decr(keys.pending)
        }
        // if this fails the pending counters expire on their own and readers use the database
        await pipeline.exec().catch(() => undefined)
      }
    }
  }

  /** The status with the whole row, from the database: always fresh, the cache neither read nor filled. */
  async fromDatabase(userId: number): Promise<UserStatus | null> {
    const row = await userById(this.db, userId)
    return row ? statusOf(row) : null
  }

  /** As `fromDatabase`, with the openid of the identity `identityId`; null if that identity is not the user's. */
  async withOpenid(userId: number, identityId: number): Promise<UserStatus | null> {
    const found = await personWithOpenid(this.db, identityId, userId)
    return found ? { ...statusOf(found.user), openid: found.openid } : null
  }
}

function statusOf(row: UserRow): UserStatus {
  return { isDeleted: row.isDeleted, role: row.role, tokenVersion: row.tokenVersion, row }
}
