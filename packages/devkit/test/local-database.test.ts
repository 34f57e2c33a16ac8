import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDatabase, freePort, stopLocalDatabase } from '../src/index'
import { mariadbPaths } from '../src/local-mariadb'
import { isProcessAlive } from '../src/processes'
import { processesMentioning, quiet, readPid, removeStateDir, temporaryStateDir } from './support'

describe('a project-local MariaDB when the configured server does not answer', () => {
  let parent: string
  let stateDir: string
  let closedUrl: string
  let first: { url: string; pid: number }

  beforeAll(async () => {
    parent = await temporaryStateDir('local-db')
    // Long enough that <stateDir>/mysqld.sock would exceed the 107-byte socket limit.
    stateDir = join(parent, 'a-state-directory-nested-deep-enough-to-push-the-socket-path-over-the-limit')
    closedUrl = `mysql://root@127.0.0.1:${await freePort()}/yuyue_test_devkit_local`
  })

  afterAll(async () => {
    await stopLocalDatabase(stateDir)
    expect(processesMentioning(`--datadir=${mariadbPaths(stateDir).dataDir}`)).toEqual([])
    await removeStateDir(parent)
  }, 90_000)

  const serverProcesses = () => processesMentioning(`--datadir=${mariadbPaths(stateDir).dataDir}`)

  it('starts a server from the system binaries and the returned URL takes queries', async () => {
    const result = await ensureDatabase({ url: closedUrl, stateDir, log: quiet })

    expect(result.source).toBe('local')
    expect(result.url).toMatch(/^mysql:\/\/root@127\.0\.0\.1:\d+\/yuyue_test_devkit_local$/)
    const connection = await mysql.createConnection(result.url)
    try {
      await connection.query('CREATE TABLE survives_restart (note VARCHAR(20))')
      await connection.query("INSERT INTO survives_restart VALUES ('kept')")
      const [rows] = await connection.query('SELECT @@character_set_database AS charset, DATABASE() AS db')
      expect(rows).toEqual([{ charset: 'utf8mb4', db: 'yuyue_test_devkit_local' }])
    } finally {
      await connection.end()
    }
    const pid = readPid(mariadbPaths(stateDir).pidFile)
    expect(serverProcesses()).toEqual([pid])
    first = { url: result.url, pid }
  }, 90_000)

  it('puts the socket in the temp directory when the state directory path is too long for it', () => {
    const { socket } = mariadbPaths(stateDir)
    expect(socket.startsWith(tmpdir())).toBe(true)
    expect(Buffer.byteLength(join(stateDir, 'mysqld.sock'))).toBeGreaterThan(107)
    expect(existsSync(socket)).toBe(true)
  })

  it('reuses the running server on the next call: same port, same pid, no new process', async () => {
    const again = await ensureDatabase({ url: closedUrl, stateDir, log: quiet })

    expect(again).toEqual({ url: first.url, source: 'local' })
    expect(readPid(mariadbPaths(stateDir).pidFile)).toBe(first.pid)
    expect(serverProcesses()).toEqual([first.pid])
  }, 30_000)

  it('starts the server again on the same data after its process was killed', async () => {
    process.kill(first.pid, 'SIGKILL')
    await expect.poll(() => isProcessAlive(first.pid), { timeout: 10_000 }).toBe(false)

    const lines: string[] = []
    const restarted = await ensureDatabase({ url: closedUrl, stateDir, log: (line) => lines.push(line) })

    expect(restarted.source).toBe('local')
    expect(lines.some((line) => line.startsWith('starting MariaDB'))).toBe(true)
    expect(lines.some((line) => line.startsWith('initialising'))).toBe(false)
    const pid = readPid(mariadbPaths(stateDir).pidFile)
    expect(pid).not.toBe(first.pid)
    expect(serverProcesses()).toEqual([pid])
    const connection = await mysql.createConnection(restarted.url)
    try {
      const [rows] = await connection.query('SELECT note FROM survives_restart')
      expect(rows).toEqual([{ note: 'kept' }])
    } finally {
      await connection.end()
    }
  }, 90_000)

  it('stopLocalDatabase stops it, and says so only when something was running', async () => {
    const pid = readPid(mariadbPaths(stateDir).pidFile)

    expect(await stopLocalDatabase(stateDir)).toBe(true)
    expect(isProcessAlive(pid)).toBe(false)
    expect(await stopLocalDatabase(stateDir)).toBe(false)
  }, 90_000)
})
