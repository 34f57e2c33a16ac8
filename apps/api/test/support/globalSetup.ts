import { createDatabase, databaseUrlFor, dropDatabase, ensureDatabase, ensureRedis } from '@yuyue/devkit'
import type { TestProject } from 'vitest/node'
import { createDatabase as connect } from '../../src/db/client'
import { runMigrations } from '../../src/db/migrate'

export const WORKER_DATABASES = 2

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrls: string[]
    redisUrl: string
  }
}

/**
 * Migrates one database per worker, once for the run, and drops them at the end. Tests never
 * touch `yuyue`: their databases are `yuyue_test_api_<pid>_<n>` on a local server (databaseUrlFor
 * refuses remote hosts); the pid keeps two runs on one server (two checkouts, CI beside a
 * developer) out of each other's tables.
 */
export default async function setup(project: TestProject) {
  const server = await ensureDatabase()
  const urls: string[] = []
  for (let n = 1; n <= WORKER_DATABASES; n++) {
    const url = databaseUrlFor(server.url, `yuyue_test_api_${process.pid}_${n}`)
    await dropDatabase(url)
    await createDatabase(url)
    const handle = connect(url, { poolSize: 2 })
    await runMigrations(handle)
    await handle.close()
    urls.push(url)
  }
  const redis = await ensureRedis()
  project.provide('databaseUrls', urls)
  project.provide('redisUrl', redis.url)
  return async () => {
    for (const url of urls) await dropDatabase(url)
  }
}
