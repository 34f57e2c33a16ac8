import { sql } from 'drizzle-orm'
import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2'
import type { PoolConnection as CallbackConnection } from 'mysql2'
import mysql from 'mysql2/promise'
import { schema } from './schema'

export type Database = MySql2Database<typeof schema>
export interface DatabaseHandle {
  db: Database
  pool: mysql.Pool
  /**
   * Connections kept at READ COMMITTED with autocommit off, used only by `inConnectionTransaction`
   * at that level: its transaction then starts with its first statement, no SET TRANSACTION and
   * no BEGIN sent (two of a phone binding's round trips, docs/performance.md). Opened on first use.
   */
  readCommittedPool: mysql.Pool
  close(): Promise<void>
}

/**
 * Pinned per connection. Above all without NO_BACKSLASH_ESCAPES: mysql2's client-side escaping
 * (`mysql.format`, used for the staff import's multi-row statements) writes \\' for a quote, which
 * that mode would read as a backslash followed by the end of the string. Strict, so a value that
 * does not fit is an error rather than silently cut.
 */
export const SQL_MODE = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'

export function createDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  const poolSize = options.poolSize ?? 10
  const pool = createPool(url, poolSize)
  const db = drizzle(pool, { schema, mode: 'default' })
  const readCommittedPool = createPool(url, poolSize, READ_COMMITTED_SESSION)
  readCommittedPools.set(db, readCommittedPool)
  return {
    db,
    pool,
    readCommittedPool,
    close: async () => {
      await Promise.all([pool.end(), readCommittedPool.end()])
    },
  }
}

/** The session of `readCommittedPool`'s connections: every statement is part of a transaction. */
const READ_COMMITTED_SESSION = [
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
  'SET autocommit = 0',
]
const readCommittedPools = new WeakMap<Database, mysql.Pool>()

function createPool(url: string, size: number, session: string[] = []): mysql.Pool {
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: size,
    maxIdle: size,
    // one statement a query, always: a batch could run on outside a transaction Galera aborted
    multipleStatements: false,
    // raw queries read and write DATETIME as UTC, like drizzle's own mapping
    timezone: 'Z',
    supportBigNumbers: true,
    charset: 'utf8mb4_unicode_ci',
    enableKeepAlive: true,
    // (mysql2's default, made explicit) affected rows count rows found, changed or not: the staff
    // import reads its inserted / updated / unchanged counts from its upserts' (upsertCounts)
    flags: ['FOUND_ROWS'],
    // mysql2 captures a stack trace per query by default: ~30 µs of CPU each, on every request
    trace: false,
  })
  pool.on('connection', (promised) => {
    // mysql2 emits its callback connection here, whatever its promise typings say
    const connection = promised as unknown as CallbackConnection
    // queued before any statement of the caller's; a connection whose setup failed is not used
    const unusable = (error: Error | null) => {
      if (error) connection.destroy()
    }
    // UTC_TIMESTAMP() defaults and NOW() comparisons must agree with the values the app writes;
    // the SQL mode is the one the app is tested under, whatever the server's default
    connection.query(`SET time_zone = '+00:00', sql_mode = '${SQL_MODE}'`, unusable)
    connection.query(CATCH_UP, unusable)
    for (const statement of session) connection.query(statement, unusable)
  })
  return pool
}

/**
 * A new connection first waits until its node has applied every commit the cluster had certified
 * when it connected (Galera's causality check). When HAProxy moves the writes to another node,
 * the instance's connections are cut and new ones land there, possibly before it has applied the
 * last commits: a phone bound a moment ago would read as unbound, a person disabled a moment ago
 * as enabled. Only MariaDB runs the executable comment (elsewhere `SELECT 1`); a server without
 * Galera returns at once.
 */
export const CATCH_UP = '/*M!100300 SET STATEMENT wsrep_sync_wait = 1 FOR */ SELECT 1'

/**
 * A query built once per database, on first use, for the hot paths: drizzle's query building is a
 * good part of a small request's CPU time. `build` ends in `.prepare()` with placeholders.
 */
export function preparedOnce<Query>(build: (db: Database) => Query): (db: Database) => Query {
  const built = new WeakMap<Database, Query>()
  return (db) => {
    let query = built.get(db)
    if (!query) {
      query = build(db)
      built.set(db, query)
    }
    return query
  }
}

/** MySQL error numbers the app reacts to. */
export const MysqlErrno = {
  duplicateEntry: 1062,
  deadlock: 1213,
  /** a delete refused by a foreign key: a child row still refers to the row */
  rowReferenced: 1451,
} as const

export function mysqlErrno(error: unknown): number | undefined {
  let current: unknown = error
  // drizzle wraps driver errors; the errno sits on the cause
  for (let depth = 0; depth < 4 && current; depth++) {
    const errno = (current as { errno?: unknown }).errno
    if (typeof errno === 'number') return errno
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

export function isDuplicateEntry(error: unknown): boolean {
  return mysqlErrno(error) === MysqlErrno.duplicateEntry
}

type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0]
export type Tx = Transaction

export interface TransactionOptions {
  /** READ COMMITTED takes no gap locks: for writes that would otherwise deadlock on index gaps */
  isolationLevel?: 'read committed' | 'repeatable read'
  /** errnos (beyond deadlocks) after which the whole transaction is run again */
  retryOn?: number[]
  attempts?: number
}

/**
 * Runs `work` in one transaction and runs it again when InnoDB picked it as a deadlock victim (or
 * on another errno the caller names): the whole unit is retried, so nothing is half-applied.
 */
export function inTransaction<T>(
  db: Database,
  work: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return retryingTransaction(
    () =>
      db.transaction(work, options.isolationLevel ? { isolationLevel: options.isolationLevel } : undefined),
    options,
  )
}

/**
 * Runs `attempt` again, after a short random pause, while it fails with a deadlock (or another
 * errno in `retryOn`). `attempt` must be a whole transaction that InnoDB rolled back on failure.
 */
export async function retryingTransaction<T>(
  attempt: () => Promise<T>,
  options: Pick<TransactionOptions, 'retryOn' | 'attempts'> = {},
): Promise<T> {
  const retryable = new Set([MysqlErrno.deadlock, ...(options.retryOn ?? [])])
  const attempts = options.attempts ?? 6
  for (let round = 1; ; round++) {
    try {
      return await attempt()
    } catch (error) {
      const errno = mysqlErrno(error)
      if (errno === undefined || !retryable.has(errno) || round >= attempts) throw error
      await new Promise((resolve) => setTimeout(resolve, 5 * round + Math.random() * 20 * round))
    }
  }
}

/** A pooled connection holding a transaction, its statements sent by mysql2 itself. */
export type Connection = mysql.PoolConnection

/**
 * As `inTransaction`, on one pooled connection whose statements `work` sends through mysql2
 * directly: for a hot transaction whose statements drizzle would cost more CPU to build than the
 * database spends running them (the phone binding, docs/performance.md). Retried whole likewise.
 */
export function inConnectionTransaction<T>(
  db: Database,
  work: (connection: Connection) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  // at READ COMMITTED on its own pool, the transaction is already open at the first statement
  const readCommitted = options.isolationLevel === 'read committed' ? readCommittedPools.get(db) : undefined
  const pool = readCommitted ?? poolOf(db)
  return retryingTransaction(async () => {
    const connection = await pool.getConnection()
    let result: T
    try {
      if (!readCommitted) {
        if (options.isolationLevel) {
          await connection.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolationLevel.toUpperCase()}`)
        }
        await connection.query('BEGIN')
      }
      result = await work(connection)
      await connection.query('COMMIT')
    } catch (error) {
      // a connection whose rollback fails (lost, or in an unknown state) is not given back
      await connection.query('ROLLBACK').then(
        () => connection.release(),
        () => connection.destroy(),
      )
      throw error
    }
    connection.release()
    return result
  }, options)
}

/** drizzle on the transaction's own connection, for a statement a hot transaction rarely sends. */
export function drizzleOn(connection: Connection): Database {
  return drizzle(connection, { schema, mode: 'default' }) as unknown as Database
}

/** The pool under `db`, for the few statements mysql2 sends itself (see docs/decisions.md). */
export function poolOf(db: Database): mysql.Pool {
  const client = (db as { $client?: unknown }).$client
  if (!client || typeof client !== 'object' || !('getConnection' in client)) {
    throw new Error('statements sent by mysql2 itself need a database on a pool')
  }
  return client as mysql.Pool
}

/** One trivial statement: whether the database answers (readiness). */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`SELECT 1`)
}
