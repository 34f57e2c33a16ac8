import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDatabase, databaseUrlFor, dropDatabase } from '@yuyue/devkit'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase as connect } from '../src/db/client'
import { migrationsFolder, runMigrations } from '../src/db/migrate'
import { databaseUrl, startHarness } from './support/harness'

const url = databaseUrlFor(databaseUrl(), `yuyue_test_api_migrate_${process.pid}`)
afterAll(() => dropDatabase(url))

it('applies the migrations once when several instances start at the same moment', async () => {
  await dropDatabase(url)
  await createDatabase(url)
  const instances = Array.from({ length: 4 }, () => connect(url, { poolSize: 3 }))
  await Promise.all(instances.map((instance) => runMigrations(instance)))
  const [tables] = await instances[0]!.pool.query('SHOW TABLES')
  const names = (tables as Record<string, string>[]).map((row) => Object.values(row)[0]).sort()
  expect(names).toEqual([
    '__drizzle_migrations',
    'admin_accounts',
    'audit_log',
    'avatars',
    'booking_settings',
    'bookings',
    'name_bigrams',
    'person_days',
    'phone_numbers',
    'slot_days',
    'slots',
    'staff_directory',
    'subscribe_deliveries',
    'users',
    'wechat_identities',
    'yuyue_migration_lock',
  ])
  const [applied] = await instances[0]!.pool.query('SELECT COUNT(*) AS n FROM __drizzle_migrations')
  const journal = JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8'))
  expect(Number((applied as { n: number }[])[0]!.n)).toBe(journal.entries.length)
  await Promise.all(instances.map((instance) => instance.close()))
})

describe('the migration lock on a cluster (SPEC §8)', () => {
  // What an instance on another Galera node does: it holds the lock row; GET_LOCK would not see it.
  it('waits while another instance holds the lock row, then applies the migrations once', async () => {
    await dropDatabase(url)
    await createDatabase(url)
    const other = connect(url, { poolSize: 1 })
    const instance = connect(url, { poolSize: 2 })
    try {
      await other.pool.query(
        'CREATE TABLE yuyue_migration_lock (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, owner CHAR(36) NOT NULL, expires_at DATETIME(3) NOT NULL)',
      )
      await other.pool.query(
        "INSERT INTO yuyue_migration_lock VALUES (1, 'another-node-instance-0000000000000', UTC_TIMESTAMP(3) + INTERVAL 30 SECOND)",
      )
      let finished = false
      const migrating = runMigrations(instance).then(() => {
        finished = true
      })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(finished, 'migrated while another instance held the lock').toBe(false)
      const [tables] = await instance.pool.query("SHOW TABLES LIKE 'users'")
      expect(tables).toEqual([])

      await other.pool.query('DELETE FROM yuyue_migration_lock')
      await within(15_000, migrating)
      const [applied] = await instance.pool.query('SELECT COUNT(*) AS n FROM __drizzle_migrations')
      expect(Number((applied as { n: number }[])[0]!.n)).toBeGreaterThan(0)
    } finally {
      await Promise.all([other.close(), instance.close()])
    }
  })

  it('takes over a lock whose holder stopped renewing it (an instance that died migrating)', async () => {
    await dropDatabase(url)
    await createDatabase(url)
    const instance = connect(url, { poolSize: 2 })
    try {
      await instance.pool.query(
        'CREATE TABLE yuyue_migration_lock (id TINYINT UNSIGNED NOT NULL PRIMARY KEY, owner CHAR(36) NOT NULL, expires_at DATETIME(3) NOT NULL)',
      )
      await instance.pool.query(
        "INSERT INTO yuyue_migration_lock VALUES (1, 'a-dead-instance-00000000000000000000', UTC_TIMESTAMP(3) - INTERVAL 1 SECOND)",
      )
      await within(15_000, runMigrations(instance))
      const [lock] = await instance.pool.query('SELECT COUNT(*) AS n FROM yuyue_migration_lock')
      expect(Number((lock as { n: number }[])[0]!.n)).toBe(0)
    } finally {
      await instance.close()
    }
  })
})

/** Fails instead of hanging: the pool-size-1 bug waited forever for a second connection. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}

describe('with a pool of one connection', () => {
  it('applies the migrations on the connection that holds the lock', async () => {
    await dropDatabase(url)
    await createDatabase(url)
    const instance = connect(url, { poolSize: 1 })
    try {
      await within(15_000, runMigrations(instance))
      const [applied] = await instance.pool.query('SELECT COUNT(*) AS n FROM __drizzle_migrations')
      const journal = JSON.parse(
        readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
      )
      expect(Number((applied as { n: number }[])[0]!.n)).toBe(journal.entries.length)
      // the lock was released and the connection went back to the pool
      const [lock] = await instance.pool.query('SELECT COUNT(*) AS n FROM yuyue_migration_lock')
      expect(Number((lock as { n: number }[])[0]!.n)).toBe(0)
    } finally {
      await instance.close()
    }
  })

  it('starts the API with DB_POOL_SIZE=1 and MIGRATE_ON_START=true, and serves from that pool', async () => {
    const h = await within(20_000, startHarness({ env: { DB_POOL_SIZE: '1', MIGRATE_ON_START: 'true' } }))
    try {
      const ready = await h.app.inject({ method: 'GET', url: '/readyz' })
      expect(ready.statusCode, ready.body).toBe(200)
    } finally {
      await h.close()
    }
  })
})

describe('the migrations folder', () => {
  it('is apps/api/drizzle when running from the sources', () => {
    expect(migrationsFolder()).toBe(fileURLToPath(new URL('../drizzle', import.meta.url)).replace(/\/$/, ''))
  })

  it.each([
    ['a checkout under /src/… (source)', 'src/app/apps/api', 'src/db'],
    ['a checkout under /src/… (bundle)', 'src/app/apps/api', 'dist'],
    ['a checkout under /dist/… (source)', 'dist/app/apps/api', 'src/db'],
    ['a checkout under /dist/… (bundle)', 'dist/app/apps/api', 'dist'],
  ])('is found from %s by walking up to the nearest journal', (_where, api, moduleDir) => {
    const root = mkdtempSync(join(tmpdir(), 'yuyue-migrations-'))
    try {
      // decoys where cutting the path at "/src" or "/dist" would land
      for (const decoy of [root, join(root, 'src'), join(root, 'dist')]) {
        mkdirSync(join(decoy, 'drizzle'), { recursive: true })
      }
      mkdirSync(join(root, api, 'drizzle', 'meta'), { recursive: true })
      writeFileSync(join(root, api, 'drizzle', 'meta', '_journal.json'), '{"entries":[]}')
      mkdirSync(join(root, api, moduleDir), { recursive: true })
      expect(migrationsFolder(join(root, api, moduleDir))).toBe(join(root, api, 'drizzle'))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('names the missing journal when there is none above', () => {
    const root = mkdtempSync(join(tmpdir(), 'yuyue-migrations-'))
    try {
      expect(() => migrationsFolder(root)).toThrow(/drizzle\/meta\/_journal\.json/)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
