import mysql from 'mysql2/promise'
import {
  assertDatabaseName,
  isLocalHost,
  type MysqlTarget,
  parseDatabaseUrl,
  redactUrl,
} from './database-url'

export type ServerProbe =
  | { state: 'ready' }
  /** Nothing answered: no server there. */
  | { state: 'unreachable'; reason: string }
  /** A server answered but refused us (wrong user, password or host grant). */
  | { state: 'refused'; reason: string }

const DROPPABLE_PREFIXES = ['yuyue_test', 'yuyue_bench']

export function serverConnectionOptions(
  target: MysqlTarget,
  connectTimeout = 10_000,
): mysql.ConnectionOptions {
  const where = target.socketPath
    ? { socketPath: target.socketPath }
    : { host: target.host, port: target.port }
  return { ...where, user: target.user, password: target.password, connectTimeout }
}

/** Connects without selecting the database, which may not exist yet. */
export async function probeMysqlServer(options: mysql.ConnectionOptions): Promise<ServerProbe> {
  try {
    const connection = await mysql.createConnection(options)
    await connection.end()
    return { state: 'ready' }
  } catch (error) {
    const failure = error as { code?: string; errno?: number; sqlState?: string; message?: string }
    const reason = failure.code ? `${failure.code}: ${failure.message}` : String(failure.message ?? error)
    // Server errors carry an SQL state and a positive errno; socket errors carry neither.
    const answered = failure.sqlState !== undefined || (failure.errno ?? 0) > 0
    return answered ? { state: 'refused', reason } : { state: 'unreachable', reason }
  }
}

export async function createDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url)
  const database = requireDatabaseName(target, url)
  await withServer(target, (connection) =>
    connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    ),
  )
}

/** Drops a test or benchmark database on a local server; anything else is refused. */
export async function dropDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url)
  const database = requireDatabaseName(target, url)
  if (!DROPPABLE_PREFIXES.some((prefix) => database.startsWith(prefix))) {
    throw new Error(
      `refusing to drop ${database}: only databases named yuyue_test* or yuyue_bench* are dropped`,
    )
  }
  if (!isLocalHost(target.host)) throw new Error(`refusing to drop a database on remote host ${target.host}`)
  await withServer(target, (connection) => connection.query(`DROP DATABASE IF EXISTS \`${database}\``))
}

function requireDatabaseName(target: MysqlTarget, url: string): string {
  if (!target.database) throw new Error(`${redactUrl(url)} names no database`)
  assertDatabaseName(target.database)
  return target.database
}

async function withServer<T>(
  target: MysqlTarget,
  work: (connection: mysql.Connection) => Promise<T>,
): Promise<T> {
  const connection = await mysql.createConnection(serverConnectionOptions(target))
  try {
    return await work(connection)
  } finally {
    await connection.end()
  }
}
