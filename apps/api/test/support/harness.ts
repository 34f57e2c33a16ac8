import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { type RunningSandbox, startSandbox } from '@yuyue/wechat-sandbox'
import { getTableName, is } from 'drizzle-orm'
import { MySqlTable } from 'drizzle-orm/mysql-core'
import { inject } from 'vitest'
import { type App, buildApp } from '../../src/app'
import { loadConfig } from '../../src/config'
import * as schema from '../../src/db/schema'

export const APP_ID = 'wxtest0000000000a1'
export const SECOND_APP_ID = 'wxtest0000000000b2'
/** the secret of the test apps, for API processes started beside the harness */
export const SECRET = 'test-secret-0123456789abcdef012345'

/** This worker's database (see globalSetup): files in one worker run one after another. */
export function databaseUrl(): string {
  const urls = inject('databaseUrls')
  const pool = Number(process.env.VITEST_POOL_ID ?? '1')
  return urls[(pool - 1) % urls.length]!
}

/**
 * Every table of the schema, emptied between tests: a table left out (the numbers' rows once)
 * carries one file's rows into the next file the worker runs.
 */
export const TABLES = Object.values(schema)
  .filter((value) => is(value, MySqlTable))
  .map((table) => getTableName(table))

export interface HarnessOptions {
  env?: Record<string, string>
  redis?: boolean
  /** a shared Redis key prefix, for several instances that must see each other */
  redisPrefix?: string
  sandbox?: RunningSandbox
  now?: () => Date
  apps?: string[]
}

export interface Harness {
  app: App
  sandbox: RunningSandbox
  logs: string[]
  close(): Promise<void>
}

/**
 * The real API on this worker's database, talking over HTTP to an in-process WeChat sandbox, and
 * with Redis when asked. Logs are captured so tests can check what is never written.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const apps = options.apps ?? [APP_ID]
  const sandbox =
    options.sandbox ?? (await startSandbox({ apps: apps.map((appId) => ({ appId, secret: SECRET })) }))
  const logs: string[] = []
  const logStream = new PassThrough()
  logStream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)))
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl(),
    MIGRATE_ON_START: 'false',
    WECHAT_API_BASE: sandbox.url,
    WECHAT_APPS: apps.map((appId) => `${appId}:${SECRET}`).join(','),
    WECHAT_TIMEOUT_MS: '3000',
    JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnop',
    RATE_LIMIT_WX_LOGIN: '0',
    RATE_LIMIT_ADMIN_LOGIN: '0',
    // rounds of the subscribe-message queue run when a test says (app.deliveries.runOnce)
    SUBSCRIBE_INTERVAL_MS: '0',
    ...(options.redis
      ? {
          REDIS_URL: inject('redisUrl'),
          REDIS_PREFIX: options.redisPrefix ?? `yuyue-test-${randomBytes(4).toString('hex')}:`,
        }
      : {}),
    ...options.env,
  })
  const app = await buildApp(config, { logStream, now: options.now })
  await app.ready()
  return {
    app,
    sandbox,
    logs,
    async close() {
      await app.close()
      if (!options.sandbox) await sandbox.close()
    },
  }
}

/**
 * Empties every table, and this instance's Redis keys: ids start again from 1, so a status cached
 * for an old user 1 must not answer for the new one.
 */
export async function resetDatabase(app: App): Promise<void> {
  if (app.redis) {
    const keys = await app.redis.keys(`${app.config.REDIS_PREFIX}*`)
    if (keys.length) await app.redis.del(...keys)
  }
  // one connection: FOREIGN_KEY_CHECKS is per session
  const connection = await app.dbHandle.pool.getConnection()
  try {
    await connection.query('SET FOREIGN_KEY_CHECKS = 0')
    for (const table of TABLES) await connection.query(`TRUNCATE TABLE ${table}`)
    await connection.query('SET FOREIGN_KEY_CHECKS = 1')
  } finally {
    connection.release()
  }
}
