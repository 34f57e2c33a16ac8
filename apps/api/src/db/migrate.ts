import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import type { DatabaseHandle } from './client'

const LOCK_NAME = 'yuyue:migrate'
const LOCK_TIMEOUT_SECONDS = 120

/** The committed drizzle-kit migrations, found both from src/ (tsx) and from the bundled dist/. */
export function migrationsFolder(): string {
  const here = fileURLToPath(new URL('.', import.meta.url))
  return here.includes('/dist') ? `${here.split('/dist')[0]}/drizzle` : `${here.split('/src')[0]}/drizzle`
}

/**
 * Applies pending migrations while holding a MySQL named lock, so several instances starting at
 * once apply them exactly once: the others wait, then find nothing left to do.
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
      await migrate(handle.db, { migrationsFolder: folder })
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME])
    }
  } finally {
    connection.release()
  }
}
