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
 * Migrates one database per worker, once for the run. Tests never touch `yuyue`: their databases
 * are `yuyue_test_api_<n>` on a local server (databaseUrlFor refuses remote hosts).
 */
export default async function setup(project: TestProject) {
  const server = await ensureDatabase()
  const urls: string[] = []
  for (let n = 1; n <= WORKER_DATABASES; n++) {
    const url = databaseUrlFor(server.url, `yuyue_test_api_${n}`)
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
}
