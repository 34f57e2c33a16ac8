import { userInfo } from 'node:os'
import mysql from 'mysql2/promise'
import { probeMysqlServer } from './mysql-server'

export function rootOverTcp(port: number): mysql.ConnectionOptions {
  return { host: '127.0.0.1', port, user: 'root', connectTimeout: 5000 }
}

/**
 * mariadb-install-db gives root a socket-only login; our URLs use TCP. The server listens on
 * 127.0.0.1 only, so an empty-password root@127.0.0.1 is reachable from this machine alone.
 */
export async function allowRootOverTcp(
  socket: string,
  port: number,
  log: (line: string) => void,
): Promise<void> {
  const before = await probeMysqlServer(rootOverTcp(port))
  if (before.state === 'ready') return
  if (before.state === 'unreachable') {
    throw new Error(`MariaDB answers on ${socket} but not on 127.0.0.1:${port}: ${before.reason}`)
  }
  const admin = await socketAdminConnection(socket)
  try {
    await admin.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''")
    await admin.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION")
  } finally {
    await admin.end()
  }
  const after = await probeMysqlServer(rootOverTcp(port))
  if (after.state !== 'ready') {
    throw new Error(`root still cannot log in on 127.0.0.1:${port} after being granted it: ${after.reason}`)
  }
  log(`granted root@127.0.0.1 (empty password) on the local MariaDB (was: ${before.reason})`)
}

/**
 * MariaDB's install lets the OS user that owns the server in through the socket (unix_socket
 * auth); Oracle MySQL's --initialize-insecure makes a password-less root instead.
 */
async function socketAdminConnection(socket: string): Promise<mysql.Connection> {
  const users = [...new Set([userInfo().username, 'root'])]
  let lastError: unknown
  for (const user of users) {
    try {
      return await mysql.createConnection({ socketPath: socket, user, connectTimeout: 5000 })
    } catch (error) {
      lastError = error
    }
  }
  throw new Error(
    `cannot log in to the local MariaDB through ${socket} as ${users.join(' or ')}: ${lastError}`,
  )
}
