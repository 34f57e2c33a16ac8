import { setTimeout as sleep } from 'node:timers/promises'
import type mysql from 'mysql2/promise'

/**
 * Polls until a connection of this test's database has been running a statement that starts with
 * `prefix` for a moment: one the test holds a lock for, so it is waiting. (The process list, not
 * `innodb_trx`: MariaDB's cache of that table left the waiting transaction out in some runs.)
 */
export async function waitForLockWait(other: mysql.Connection, prefix: string): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    const [rows] = await other.query(
      'SELECT info FROM information_schema.processlist WHERE db = DATABASE() AND time_ms > 50',
    )
    if ((rows as { info: string | null }[]).some((r) => r.info?.startsWith(prefix))) return
    await sleep(20)
  }
  throw new Error(`no statement waited on "${prefix}…"`)
}
