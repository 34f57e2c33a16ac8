import mysql from 'mysql2/promise'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureDatabase, freePort, stopLocalDatabase } from '../src/index'
import { mariadbPaths } from '../src/local-mariadb'
import {
  ensureInChildProcess,
  processesMentioning,
  quiet,
  readPid,
  removeStateDir,
  temporaryStateDir,
} from './support'

describe('several callers starting the local MariaDB at the same moment', () => {
  const stateDirs: string[] = []

  afterEach(async () => {
    for (const dir of stateDirs.splice(0)) {
      await stopLocalDatabase(dir)
      await removeStateDir(dir)
    }
  }, 90_000)

  async function freshSetup() {
    const stateDir = await temporaryStateDir('concurrent')
    stateDirs.push(stateDir)
    return { stateDir, url: `mysql://root@127.0.0.1:${await freePort()}/yuyue_test_devkit_concurrent` }
  }

  it('two calls in one process end with one server that both use', async () => {
    const { stateDir, url } = await freshSetup()

    const [a, b] = await Promise.all([
      ensureDatabase({ url, stateDir, log: quiet }),
      ensureDatabase({ url, stateDir, log: quiet }),
    ])

    expect(a).toEqual(b)
    expect(a.source).toBe('local')
    const servers = processesMentioning(`--datadir=${mariadbPaths(stateDir).dataDir}`)
    expect(servers).toEqual([readPid(mariadbPaths(stateDir).pidFile)])
  }, 90_000)

  it('three separate processes end with one server, which outlives them', async () => {
    const { stateDir, url } = await freshSetup()

    const results = await Promise.all([1, 2, 3].map(() => ensureInChildProcess('database', url, stateDir)))

    const first = results[0]!
    for (const result of results) expect(result).toEqual(first)
    expect(first.source).toBe('local')
    const servers = processesMentioning(`--datadir=${mariadbPaths(stateDir).dataDir}`)
    expect(servers).toHaveLength(1)
    const connection = await mysql.createConnection(first.url)
    await connection.query('SELECT 1')
    await connection.end()
  }, 120_000)
})
