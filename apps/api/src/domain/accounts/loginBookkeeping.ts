import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../../db/client'
import { type LoginRecord, writeLoginRecords } from '../../db/queries/loginBookkeeping'
import { redactError } from '../../lib/redact'

const FLUSH_AFTER_MS = 50
const FLUSH_AT = 200

/**
 * What a returning person's login leaves behind (the new session_key, last_login_at, a unionid
 * revealed for the first time), written behind the answer: up to 200 logins per statement, at
 * most 50 ms late. The login itself then costs one database round trip, not two. Nothing here
 * decides anything (access is decided from the user row, read before), so a write that is late,
 * or lost in a crash, loses only bookkeeping; pending records are written on close.
 */
export class LoginBookkeeping {
  private pending = new Map<number, LoginRecord>()
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Database,
    private readonly log: FastifyBaseLogger,
  ) {}

  record(login: LoginRecord): void {
    this.pending.set(login.identityId, login)
    if (this.pending.size >= FLUSH_AT) void this.flush()
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS)
  }

  /** Writes what is pending (and waits for writes under way). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    // identity order: concurrent flushes lock rows in the same order, so they cannot deadlock
    const batch = [...this.pending.values()].sort((a, b) => a.identityId - b.identityId)
    this.pending.clear()
    if (batch.length > 0) this.flushing = this.flushing.then(() => this.write(batch))
    return this.flushing
  }

  private async write(batch: LoginRecord[]): Promise<void> {
    try {
      await writeLoginRecords(this.db, batch)
    } catch (error) {
      this.log.warn({ err: redactError(error), logins: batch.length }, 'login bookkeeping not written')
    }
  }
}
