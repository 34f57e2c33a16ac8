import { parseDatabaseUrl } from '@yuyue/devkit'
import mysql from 'mysql2/promise'
import { e2eEnv } from './env'

/** A direct look into the e2e database, to check what the API stored. */
export async function countRows(table: 'staff_directory' | 'users'): Promise<number> {
  const target = parseDatabaseUrl(e2eEnv.databaseUrl)
  const connection = await mysql.createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    socketPath: target.socketPath,
  })
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``)
    return Number(rows[0]?.n)
  } finally {
    await connection.end()
  }
}
