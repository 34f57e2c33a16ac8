import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { drizzle } from 'drizzle-orm/mysql2'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import type { DatabaseHandle } from './client'

const LOCK_NAME = 'yuyue:migrate'
const LOCK_TIMEOUT_SECONDS = 120

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
 * Applies pending migrations while holding a MySQL named lock, so several instances starting at
 * once apply them exactly once: the others wait, then find nothing left to do. The migrations run
 * on the connection that holds the lock: asking the pool for another would wait forever with
 * DB_POOL_SIZE=1, and the lock is per session anyway.
 */
export async function runMigrations(handle: DatabaseHandle, folder = migrationsFolder()): Promise<void> {
  const connection = await handle.pool.getConnection()
  try {
    const [rows] = await connection.query('SELECT GET_LOCK(?, ?) AS locked', [
      LOCK_NAME,
      LOCK_TIMEOUT_SECONDS,
    ])
    if ((rows as { locked: number | null }[])[0]?.locked !== 1) {
      throw new Error(`could not take the migration lock within ${LOCK_TIMEOUT_SECONDS} s`)
    }
    try {
      await migrate(drizzle(connection, { mode: 'default' }), { migrationsFolder: folder })
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME])
    }
  } finally {
    connection.release()
  }
}
