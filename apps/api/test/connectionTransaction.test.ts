import type { RowDataPacket } from 'mysql2'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDatabase, type DatabaseHandle, inConnectionTransaction, MysqlErrno } from '../src/db/client'
import { type Harness, resetDatabase, startHarness } from './support/harness'

/**
 * `inConnectionTransaction` (the phone binding's statements, sent by mysql2 itself) keeps what
 * drizzle's transactions guaranteed: nothing half-applied, the connection handed back outside any
 * transaction, a deadlock victim run again whole.
 */

let h: Harness
// one connection, so the next statement runs where the transaction did
let single: DatabaseHandle

beforeAll(async () => {
  h = await startHarness()
  single = createDatabase(h.app.config.DATABASE_URL, { poolSize: 1 })
})
beforeEach(() => resetDatabase(h.app))
afterAll(async () => {
  await single.close()
  await h.close()
})

async function numberRows(mobile: string): Promise<{ changes: number }[]> {
  const [rows] = await single.pool.query<RowDataPacket[]>(
    'SELECT changes FROM phone_numbers WHERE country_code = ? AND mobile = ?',
    ['86', mobile],
  )
  return rows as { changes: number }[]
}

const touch = (connection: Parameters<Parameters<typeof inConnectionTransaction>[1]>[0], mobile: string) =>
  connection.query(
    'INSERT INTO phone_numbers (country_code, mobile) VALUES (?, ?) ON DUPLICATE KEY UPDATE changes = changes + 1',
    ['86', mobile],
  )

describe('a transaction on one connection, its statements sent by mysql2', () => {
  it('commits what the work wrote', async () => {
    await inConnectionTransaction(single.db, async (connection) => {
      await touch(connection, '17012340001')
    })
    expect(await numberRows('17012340001')).toEqual([{ changes: 0 }])
  })

  it('rolls back when the work fails, and gives the connection back outside any transaction', async () => {
    await expect(
      inConnectionTransaction(single.db, async (connection) => {
        await touch(connection, '17012340002')
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    const [state] = await single.pool.query<RowDataPacket[]>('SELECT @@in_transaction AS open')
    expect(Number(state[0]!.open)).toBe(0)
    expect(await numberRows('17012340002')).toEqual([])
  })

  it('at READ COMMITTED, on connections already at that level: rolled back whole, committed whole', async () => {
    const levels: unknown[] = []
    const work = (mobile: string, fail: boolean) =>
      inConnectionTransaction(
        single.db,
        async (connection) => {
          await touch(connection, mobile)
          const [rows] = await connection.query<RowDataPacket[]>(
            'SELECT trx_isolation_level AS level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()',
          )
          levels.push(rows[0]?.level)
          if (fail) throw new Error('refused')
          await touch(connection, mobile)
        },
        { isolationLevel: 'read committed' },
      )
    await expect(work('17012340004', true)).rejects.toThrow('refused')
    await work('17012340005', false)
    expect(levels).toEqual(['READ COMMITTED', 'READ COMMITTED'])
    expect(await numberRows('17012340004')).toEqual([])
    expect(await numberRows('17012340005')).toEqual([{ changes: 1 }])
    // handed back with nothing open: the next binding's first statement opens its own
    const connection = await single.readCommittedPool.getConnection()
    try {
      const [state] = await connection.query<RowDataPacket[]>('SELECT @@in_transaction AS open')
      expect(Number(state[0]!.open)).toBe(0)
    } finally {
      connection.release()
    }
  })

  it('runs a deadlock victim again whole', async () => {
    let attempts = 0
    await inConnectionTransaction(
      single.db,
      async (connection) => {
        attempts++
        await touch(connection, '17012340003')
        if (attempts === 1) throw Object.assign(new Error('deadlock'), { errno: MysqlErrno.deadlock })
      },
      { isolationLevel: 'read committed' },
    )
    expect(attempts).toBe(2)
    // the first attempt's write was rolled back: the row was written once
    expect(await numberRows('17012340003')).toEqual([{ changes: 0 }])
  })
})
