import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import { type DatabaseHandle, MysqlErrno, mysqlErrno } from './client'

const LOCK_TIMEOUT_MS = 120_000
/** A holder that stopped renewing this long ago died: its lock may be taken over. */
const LOCK_LEASE_SECONDS = 30
const LOCK_RENEW_MS = 5_000
const LOCK_POLL_MS = 250

const JOURNAL = join('drizzle', 'meta', '_journal.json')

/**
 * The committed drizzle-kit migrations: the nearest `drizzle/` holding a journal, walking up from
 * `start`. Both src/db (tsx, vitest) and the bundle in dist/ sit below apps/api, which holds it;
 * walking up, rather than cutting the path at "/src" or "/dist", survives checkouts under
 * /usr/src/app or any other path that contains those words.
 */
export function migrationsFolder(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, JOURNAL))) return join(dir, 'drizzle')
    if (dirname(dir) === dir) throw new Error(`no ${JOURNAL} found in ${start} or any folder above it`)
  }
}

/**
 * Applies pending migrations while holding the migration lock, so several instances starting at
 * once apply them exactly once: the others wait, then find nothing left to do. The lock is a row
 * every instance tries to insert (`db/migrationLock`): on a Galera cluster a named lock
 * (`GET_LOCK`) holds on one node only, while two nodes inserting one primary key conflict and
 * only one commits. The migrations run on the connection that holds the lock: asking the pool for
 * another would wait forever with DB_POOL_SIZE=1.
 */
export async function runMigrations(handle: DatabaseHandle, folder = migrationsFolder()): Promise<void> {
  const connection = await handle.pool.getConnection()
  try {
    await readYourWritesOnGalera(connection)
    await connection.query(CREATE_LOCK_TABLE)
    const owner = randomUUID()
    await takeLock(connection, owner)
    // the lease is renewed while migrating (queued on this connection between the migration's
    // statements), so a slow migration is not taken over
    let renewal: Promise<unknown> = Promise.resolve()
    const renewer = setInterval(() => {
      renewal = renewal.then(() => renewLock(connection, owner)).catch(() => undefined)
    }, LOCK_RENEW_MS)
    try {
      await migrate(drizzle(connection, { mode: 'default' }), { migrationsFolder: folder })
    } finally {
      clearInterval(renewer)
      await renewal
      await connection.query(`DELETE FROM ${LOCK_TABLE} WHERE id = 1 AND owner = ?`, [owner])
    }
  } finally {
    connection.release()
  }
}

const LOCK_TABLE = 'yuyue_migration_lock'
const CREATE_LOCK_TABLE = `CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  owner CHAR(36) NOT NULL,
  expires_at DATETIME(3) NOT NULL
) ENGINE=InnoDB`

type Connection = Awaited<ReturnType<DatabaseHandle['pool']['getConnection']>>

/**
 * On Galera, a node may answer a read before it has applied what another node committed: the
 * migration history read after taking the lock must include the previous holder's migrations.
 * Other servers have no such variable (MySQL) or ignore it (MariaDB without wsrep).
 */
async function readYourWritesOnGalera(connection: Connection): Promise<void> {
  const [rows] = await connection.query("SHOW VARIABLES LIKE 'wsrep_on'")
  if ((rows as { Value?: string }[])[0]?.Value === 'ON') {
    await connection.query('SET SESSION wsrep_sync_wait = 1')
  }
}

async function takeLock(connection: Connection, owner: string): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS
  for (;;) {
    try {
      // a free row, or one whose holder stopped renewing its lease: both are a write that conflicts
      const [result] = await connection.query(
        `INSERT INTO ${LOCK_TABLE} (id, owner, expires_at)
         VALUES (1, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND)
         ON DUPLICATE KEY UPDATE
           owner = IF(expires_at < UTC_TIMESTAMP(3), VALUES(owner), owner),
           expires_at = IF(owner = VALUES(owner), VALUES(expires_at), expires_at)`,
        [owner, LOCK_LEASE_SECONDS],
      )
      if ((result as { affectedRows: number }).affectedRows > 0) {
        const [rows] = await connection.query(`SELECT owner FROM ${LOCK_TABLE} WHERE id = 1`)
        if ((rows as { owner: string }[])[0]?.owner === owner) return
      }
    } catch (error) {
      // two nodes wrote the row at once: Galera let one commit; the other tries again
      if (mysqlErrno(error) !== MysqlErrno.deadlock) throw error
    }
    if (Date.now() > deadline) {
      throw new Error(`could not take the migration lock within ${LOCK_TIMEOUT_MS / 1000} s`)
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS))
  }
}

function renewLock(connection: Connection, owner: string) {
  return connection.query(
    `UPDATE ${LOCK_TABLE} SET expires_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = 1 AND owner = ?`,
    [LOCK_LEASE_SECONDS, owner],
  )
}
