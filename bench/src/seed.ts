import { performance } from 'node:perf_hooks'
import type mysql from 'mysql2/promise'
import { bigramsOf } from '../../apps/api/src/db/queries/nameBigrams'
import { mobileOf, nicknameOf, openidOf } from './people'

/** Rows per INSERT: a few hundred kilobytes a statement, well under any max_allowed_packet. */
const ROWS_PER_STATEMENT = 5000

export interface SeedReport {
  people: number
  ms: number
}

/**
 * Stores persons `from`..`to` (inclusive) as the API would have them after their first login
 * (and, for most, a bound phone): one `users` row (id = n), one `wechat_identities` row and their
 * nickname's pieces each, with multi-row INSERTs, the three tables on three connections at once. Runs after
 * the API has migrated the schema. Unique checks are relaxed for the session: the rows are unique
 * by construction.
 */
export function seedPeople(
  pool: mysql.Pool,
  options: { appId: string; from: number; to: number },
): Promise<SeedReport> {
  return seeding(pool, options, (insertAll) =>
    Promise.all([
      insertAll((n, at) => {
        const mobile = mobileOf(n)
        return [n, nicknameOf(n), mobile ? '86' : null, mobile, at, at]
      }, 'INSERT INTO users (id, nickname, country_code, mobile, created_at, updated_at) VALUES ?'),
      insertAll(
        (n, at) => [n, options.appId, openidOf(n), n, at],
        'INSERT INTO wechat_identities (id, app_id, openid, user_id, created_at) VALUES ?',
      ),
      insertNamePieces(pool, options),
    ]),
  )
}

/** Rows per INSERT of name pieces: three short columns each. */
const PIECES_PER_STATEMENT = 10_000

/**
 * The pieces of persons `from`..`to`'s nicknames in `name_bigrams`, as the API writes them beside
 * every name (its search finds a part of a name through them). Grouped by piece, so the rows go
 * in in primary-key order (kind, bigram by its bytes, owner) on a connection of their own.
 */
async function insertNamePieces(pool: mysql.Pool, range: { from: number; to: number }): Promise<void> {
  const owners = new Map<string, number[]>()
  for (let n = range.from; n <= range.to; n++) {
    const nickname = nicknameOf(n)
    if (!nickname) continue
    for (const piece of bigramsOf(nickname)) {
      const list = owners.get(piece)
      if (list) list.push(n)
      else owners.set(piece, [n])
    }
  }
  // UTF-16 order is the bytes' order for these pieces (no character beyond the BMP)
  const pieces = [...owners.keys()].sort()
  const connection = await pool.getConnection()
  try {
    await connection.query('SET SESSION unique_checks = 0')
    let rows: unknown[][] = []
    for (const piece of pieces) {
      for (const n of owners.get(piece)!) {
        rows.push(['user', piece, n])
        if (rows.length === PIECES_PER_STATEMENT) {
          await connection.query('INSERT INTO name_bigrams (kind, bigram, owner_id) VALUES ?', [rows])
          rows = []
        }
      }
    }
    if (rows.length)
      await connection.query('INSERT INTO name_bigrams (kind, bigram, owner_id) VALUES ?', [rows])
  } finally {
    await connection.query('SET SESSION unique_checks = 1').catch(() => undefined)
    connection.release()
  }
}

/**
 * Fills the floor's own table (`floor_sessions`) with persons `from`..`to` as the floor's login
 * would have stored them, so the floor's upserts meet a table as large as the API's.
 */
export function seedFloorSessions(
  pool: mysql.Pool,
  options: { appId: string; from: number; to: number },
): Promise<SeedReport> {
  return seeding(pool, options, (insertAll) =>
    insertAll(
      (n, at) => [n, options.appId, openidOf(n), at],
      'INSERT INTO floor_sessions (id, app_id, openid, last_login_at) VALUES ?',
    ),
  )
}

type InsertAll = (build: (n: number, at: Date) => unknown[], sql: string) => Promise<void>

/**
 * Times the seeding of persons `from`..`to` into `pool`: `work` inserts with `insertAll`, which
 * builds each person's row, person `n` created 30 s after person `n - 1`, the last one now.
 */
async function seeding(
  pool: mysql.Pool,
  range: { from: number; to: number },
  work: (insertAll: InsertAll) => Promise<unknown>,
): Promise<SeedReport> {
  const started = performance.now()
  const { from, to } = range
  if (to < from) return { people: 0, ms: 0 }
  const epoch = Date.now() - (to - from + 1) * 30_000
  await work((build, sql) => insertRows(pool, { from, to, epoch }, build, sql))
  return { people: to - from + 1, ms: performance.now() - started }
}

/** Rows `from`..`to` in multi-row INSERTs on one connection, unique checks relaxed (unique by construction). */
async function insertRows(
  pool: mysql.Pool,
  range: { from: number; to: number; epoch: number },
  build: (n: number, at: Date) => unknown[],
  sql: string,
): Promise<void> {
  const { from, to, epoch } = range
  const connection = await pool.getConnection()
  try {
    await connection.query('SET SESSION unique_checks = 0, foreign_key_checks = 0')
    for (let start = from; start <= to; start += ROWS_PER_STATEMENT) {
      const end = Math.min(to, start + ROWS_PER_STATEMENT - 1)
      const rows: unknown[][] = []
      for (let n = start; n <= end; n++) rows.push(build(n, new Date(epoch + (n - from) * 30_000)))
      await connection.query(sql, [rows])
    }
  } finally {
    await connection.query('SET SESSION unique_checks = 1, foreign_key_checks = 1').catch(() => undefined)
    connection.release()
  }
}
