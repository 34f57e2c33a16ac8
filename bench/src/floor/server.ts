/**
 * The floor: the least a silent login can do, as a bare node:http server. One code2Session round
 * trip to the same WeChat sandbox as the API (HTTP keep-alive, as the API's fetch does), one upsert
 * on the same database server (its own table), one HMAC-SHA256-signed token, answered as JSON.
 * Nothing else: no framework, no validation library, no logging. The API's login is measured
 * against it under the same load, so machine noise cancels out of the ratio.
 *
 * Run as its own process (like the API) by `startFloor`; configured through the environment.
 */
import { createHmac } from 'node:crypto'
import http from 'node:http'
import mysql from 'mysql2/promise'

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is required`)
  return value
}

const port = Number(required('FLOOR_PORT'))
const sandboxUrl = new URL(required('FLOOR_WECHAT_API_BASE'))
const appId = required('FLOOR_APP_ID')
const appSecret = required('FLOOR_APP_SECRET')
const tokenSecret = required('FLOOR_TOKEN_SECRET')
const poolSize = Number(process.env.FLOOR_DB_POOL_SIZE ?? 10)
const TOKEN_TTL_SECONDS = 7200

const agent = new http.Agent({ keepAlive: true })
const pool = mysql.createPool({
  uri: required('FLOOR_DATABASE_URL'),
  connectionLimit: poolSize,
  maxIdle: poolSize,
  timezone: 'Z',
  enableKeepAlive: true,
})

interface Session {
  openid?: string
  session_key?: string
  errcode?: number
}

function code2Session(code: string): Promise<Session> {
  const query = new URLSearchParams({
    appid: appId,
    secret: appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  })
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: sandboxUrl.hostname, port: sandboxUrl.port, path: `/sns/jscode2session?${query}`, agent },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () => {
          try {
            resolve(JSON.parse(text) as Session)
          } catch (error) {
            reject(error)
          }
        })
        response.on('error', reject)
      },
    )
    request.on('error', reject)
  })
}

const base64url = (value: string) => Buffer.from(value).toString('base64url')
const TOKEN_HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

function signToken(sub: number): string {
  const now = Math.floor(Date.now() / 1000)
  const payload = base64url(
    JSON.stringify({ sub: String(sub), aud: 'miniapp', iat: now, exp: now + TOKEN_TTL_SECONDS }),
  )
  const signature = createHmac('sha256', tokenSecret).update(`${TOKEN_HEADER}.${payload}`).digest('base64url')
  return `${TOKEN_HEADER}.${payload}.${signature}`
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

async function login(body: string, response: http.ServerResponse): Promise<void> {
  let code: unknown
  try {
    code = (JSON.parse(body) as { code?: unknown }).code
  } catch {
    code = undefined
  }
  if (typeof code !== 'string' || code === '') return answer(response, 400, { error: 'code required' })
  const session = await code2Session(code)
  if (!session.openid || !session.session_key) {
    return answer(response, 400, { error: `code2Session errcode ${session.errcode}` })
  }
  // LAST_INSERT_ID(id) makes an update report the existing row's id, so one statement gives the id.
  const [result] = await pool.query<mysql.ResultSetHeader>(
    `INSERT INTO floor_sessions (app_id, openid, session_key, last_login_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), session_key = VALUES(session_key),
       last_login_at = VALUES(last_login_at)`,
    [appId, session.openid, session.session_key],
  )
  answer(response, 200, {
    token: signToken(result.insertId),
    expiresIn: TOKEN_TTL_SECONDS,
    user: { id: result.insertId },
  })
}

async function main(): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS floor_sessions (
    id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
    app_id VARCHAR(32) NOT NULL,
    openid VARCHAR(64) NOT NULL,
    session_key VARCHAR(64),
    last_login_at DATETIME(3),
    UNIQUE KEY uq_floor_app_openid (app_id, openid)
  ) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)

  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/healthz') return answer(response, 200, { status: 'ok' })
    if (request.method !== 'POST' || request.url !== '/login')
      return answer(response, 404, { error: 'not found' })
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      login(body, response).catch((error: unknown) => {
        process.stderr.write(`floor login failed: ${(error as Error).message}\n`)
        if (!response.headersSent) answer(response, 500, { error: 'internal' })
      })
    })
  })
  // the same keep-alive settings as the API's server.ts
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening on ${port}\n`))

  const close = () => {
    server.close()
    server.closeAllConnections()
    pool.end().finally(() => process.exit(0))
  }
  process.once('SIGTERM', close)
  process.once('SIGINT', close)
}

main().catch((error: unknown) => {
  process.stderr.write(`floor failed to start: ${(error as Error).message}\n`)
  process.exit(1)
})
