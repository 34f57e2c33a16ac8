import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDatabase, databaseUrlFor, dropDatabase } from '@yuyue/devkit'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase as connect } from '../src/db/client'
import { migrationsFolder, runMigrations } from '../src/db/migrate'
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
