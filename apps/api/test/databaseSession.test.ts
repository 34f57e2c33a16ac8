import type { PoolConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CATCH_UP, SQL_MODE } from '../src/db/client'
import { type Harness, startHarness } from './support/harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness({ env: { DB_POOL_SIZE: '3' } })
})
afterAll(() => h.close())

describe('database sessions', () => {
  it('run every connection of the pool under the pinned SQL mode and UTC, whatever the server default', async () => {
    for (const [name, pool, size] of [
      ['main', h.app.dbHandle.pool, 3],
      ['read committed', h.app.dbHandle.readCommittedPool, 3],
    ] as const) {
      // all of the pool's connections at once, so none is read twice
      const connections: PoolConnection[] = await Promise.all(
        Array.from({ length: size }, () => pool.getConnection()),
      )
      try {
        for (const connection of connections) {
          const [rows] = await connection.query(
            'SELECT @@SESSION.sql_mode AS mode, @@SESSION.time_zone AS zone',
          )
          const [row] = rows as { mode: string; zone: string }[]
          expect(row, name).toEqual({ mode: SQL_MODE, zone: '+00:00' })
          expect(row!.mode, name).not.toContain('NO_BACKSLASH_ESCAPES')
        }
      } finally {
        for (const connection of connections) connection.release()
      }
    }
  })

  it("run Galera's causality check as a new connection's first read, before the caller's statement", async () => {
    // a fresh connection: the pool's own are closed first
    const pool = h.app.dbHandle.pool
    const connections: PoolConnection[] = await Promise.all(
      Array.from({ length: 3 }, () => pool.getConnection()),
    )
    for (const connection of connections) connection.destroy()
    const connection = await pool.getConnection()
    try {
      // SHOW is not counted as a SELECT: the one SELECT so far is the check (CATCH_UP)
      const [rows] = await connection.query("SHOW SESSION STATUS LIKE 'Com_select'")
      expect(Number((rows as { Value: string }[])[0]?.Value)).toBe(1)
      const [catchUp] = await connection.query(CATCH_UP)
      expect(catchUp).toEqual([{ 1: 1 }])
    } finally {
      connection.release()
    }
  })

  it('keep the read-committed pool at READ COMMITTED with autocommit off, the main one as the server has it', async () => {
    const sessionOf = async (pool: typeof h.app.dbHandle.pool) => {
      const [rows] = await pool.query(
        'SELECT @@SESSION.tx_isolation AS level, @@SESSION.autocommit AS autocommit',
      )
      return (rows as { level: string; autocommit: number }[])[0]
    }
    expect(await sessionOf(h.app.dbHandle.readCommittedPool)).toEqual({
      level: 'READ-COMMITTED',
      autocommit: 0,
    })
    expect(await sessionOf(h.app.dbHandle.pool)).toMatchObject({ autocommit: 1 })
  })
})
