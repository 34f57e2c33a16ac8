/**
 * A clustercheck-style agent for one Galera node: `GET /` answers 200 only while the node is
 * Synced and ready, 503 otherwise, so HAProxy sends writes only to a node that takes them.
 * Usage: tsx clustercheck-agent.ts <mysqld socket> <listen port>
 */
import { createServer } from 'node:http'
import mysql from 'mysql2/promise'

const [socketPath, port] = process.argv.slice(2)
if (!socketPath || !port) {
  console.error('usage: clustercheck-agent <mysqld socket> <port>')
  process.exit(2)
}

async function synced(): Promise<boolean> {
  const connection = await mysql.createConnection({ socketPath, user: 'root', connectTimeout: 1000 })
  try {
    const [rows] = await connection.query(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state', 'wsrep_ready')",
    )
    const status = Object.fromEntries(
      (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]),
    )
    // 4 is Synced; a donor or joiner is up but must not take writes
    return status.wsrep_local_state === '4' && status.wsrep_ready === 'ON'
  } finally {
    await connection.end().catch(() => undefined)
  }
}

createServer((_request, response) => {
  synced().then(
    (ok) =>
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ok ? 'synced\n' : 'not synced\n'),
    () => response.writeHead(503, { 'content-type': 'text/plain' }).end('down\n'),
  )
}).listen(Number(port), '127.0.0.1')
