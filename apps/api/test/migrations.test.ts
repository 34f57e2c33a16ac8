import { readFileSync } from 'node:fs'
import { createDatabase, databaseUrlFor, dropDatabase } from '@yuyue/devkit'
import { afterAll, expect, it } from 'vitest'
import { createDatabase as connect } from '../src/db/client'
import { runMigrations } from '../src/db/migrate'
import { databaseUrl } from './support/harness'

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
    'bookings',
    'slots',
    'staff_directory',
    'users',
    'wechat_identities',
  ])
  const [applied] = await instances[0]!.pool.query('SELECT COUNT(*) AS n FROM __drizzle_migrations')
  const journal = JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8'))
  expect(Number((applied as { n: number }[])[0]!.n)).toBe(journal.entries.length)
  await Promise.all(instances.map((instance) => instance.close()))
})
