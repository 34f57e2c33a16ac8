import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../src/index'
import { quiet, runningDatabaseServer, uniqueName } from './support'

async function databaseCollation(serverUrl: string, name: string): Promise<string | undefined> {
  const connection = await mysql.createConnection(serverUrl)
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      'SELECT DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    )
    return rows[0]?.collation
  } finally {
    await connection.end()
  }
}

describe('a configured server that answers', () => {
  let server: Awaited<ReturnType<typeof runningDatabaseServer>>
  const created: string[] = []

  beforeAll(async () => {
    server = await runningDatabaseServer()
  }, 90_000)

  afterAll(async () => {
    for (const name of created) await dropDatabase(databaseUrlFor(server.serverUrl, name))
    for (const name of created) expect(await databaseCollation(server.serverUrl, name)).toBeUndefined()
    await server.release()
  }, 90_000)

  it('is used as is, with its missing database created as utf8mb4_unicode_ci', async () => {
    const name = uniqueName('yuyue_test_devkit')
    created.push(name)
    const url = databaseUrlFor(server.serverUrl, name)
    expect(await databaseCollation(server.serverUrl, name)).toBeUndefined()

    const result = await ensureDatabase({ url, log: quiet })

    expect(result).toEqual({ url, source: 'existing' })
    expect(await databaseCollation(server.serverUrl, name)).toBe('utf8mb4_unicode_ci')
    expect(await ensureDatabase({ url, log: quiet })).toEqual({ url, source: 'existing' })
  }, 30_000)

  it('stops with an error instead of replacing it when it refuses the configured login', async () => {
    const refused = new URL(databaseUrlFor(server.serverUrl, 'yuyue_test_devkit_refused'))
    refused.username = 'no_such_devkit_user'
    refused.password = 'wrong'

    const failure = await ensureDatabase({ url: refused.toString(), log: quiet }).catch(
      (error: Error) => error,
    )

    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toMatch(/answers but refuses the login .*fix DATABASE_URL/)
    expect((failure as Error).message).not.toContain(':wrong@')
  }, 30_000)

  it('db:up prints the URL it will use', async () => {
    const name = uniqueName('yuyue_test_devkit_cli')
    created.push(name)
    const url = databaseUrlFor(server.serverUrl, name)
    const cli = fileURLToPath(new URL('../src/cli/db-up.ts', import.meta.url))
    const tsx = createRequire(import.meta.url).resolve('tsx/cli')

    const { stdout } = await promisify(execFile)(process.execPath, [tsx, cli], {
      env: { ...process.env, DATABASE_URL: url },
    })

    expect(stdout.trim()).toBe(`database: ${url} (existing server)`)
    expect(await databaseCollation(server.serverUrl, name)).toBe('utf8mb4_unicode_ci')
  }, 30_000)
})
