/**
 * The floor: the least each measured path can do, as a bare node:http server. No framework, no
 * validation library, no logging; the API is measured against it under the same load, so machine
 * noise cancels out of the ratio.
 *
 * - `POST /login`: one code2Session round trip to the same WeChat sandbox as the API (HTTP
 *   keep-alive), one upsert on the same database server (its own table, `floor_sessions`, which
 *   the bench fills with as many people as the API's), one HMAC-SHA256 token.
 *   With FLOOR_FASTIFY_PORT, the same login is also served by a bare Fastify app on that port.
 * - `GET /me` (with FLOOR_PEOPLE_DATABASE_URL, the API's own database): the API's token checked
 *   (HMAC-SHA256, expiry), the person's row read by primary key (prepared), answered as JSON.
 * - `GET /search?q=`: the admin's token checked (HMAC-SHA256, expiry, audience) and their token
 *   version read by primary key (prepared), as the API's guard; then the API's search statement
 *   with every branch of `q`'s shape (matching ids from the indexes, name pieces included, a
 *   window count, the page's rows by primary key) on the same database, answered as JSON.
 * - `POST /bind` (`{"code", "openid"}`): the API's token checked, WeChat's phone number fetched
 *   (getuserphonenumber, the access token fetched once and kept), the number written to the
 *   person's row: the same WeChat round trips as the API's binding and one write.
 * - `POST /book` (`{"slotId"}`): the API's token checked, the person's row read by primary key
 *   (a bound phone needed), the slot read with the person's active booking of it (no lock: a full
 *   slot is refused here), then the place taken by one conditional UPDATE and the booking
 *   inserted, one statement at a time in one transaction (no multi-statement batch: Galera can
 *   lose their errors, so the API may not use one), retried on a deadlock; 409 when the slot is full.
 *
 * Run as its own process (like the API) by `startFloor`; configured through the environment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import { normalizeMobile } from '@yuyue/contracts'
import Fastify, { type FastifyInstance } from 'fastify'
import mysql from 'mysql2/promise'
import { queryBigrams } from '../../../apps/api/src/db/queries/nameBigrams'

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
const fastifyPort = Number(process.env.FLOOR_FASTIFY_PORT ?? 0)
const TOKEN_TTL_SECONDS = 7200

const agent = new http.Agent({ keepAlive: true })
const poolOf = (uri: string) =>
  mysql.createPool({
    uri,
    connectionLimit: poolSize,
    maxIdle: poolSize,
    timezone: 'Z',
    enableKeepAlive: true,
  })
const pool = poolOf(required('FLOOR_DATABASE_URL'))
const peopleUrl = process.env.FLOOR_PEOPLE_DATABASE_URL
const people = peopleUrl ? poolOf(peopleUrl) : null

interface Session {
  openid?: string
  session_key?: string
  errcode?: number
}

/** One call to the WeChat sandbox over the kept-alive agent, its JSON answer parsed. */
function wechatCall<T>(
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        method,
        host: sandboxUrl.hostname,
        port: sandboxUrl.port,
        path: `${path}?${new URLSearchParams(query)}`,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          text += chunk
        })
        response.on('end', () => {
          try {
            resolve(JSON.parse(text) as T)
          } catch (error) {
            reject(error)
          }
        })
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(payload)
  })
}

function code2Session(code: string): Promise<Session> {
  return wechatCall<Session>('GET', '/sns/jscode2session', {
    appid: appId,
    secret: appSecret,
    js_code: code,
    grant_type: 'authorization_code',
  })
}

// WeChat's access token, fetched once (stable_token) and kept: what the API's cache amounts to
let accessToken: Promise<string> | null = null
function currentAccessToken(): Promise<string> {
  accessToken ??= wechatCall<{ access_token?: string; errcode?: number }>(
    'POST',
    '/cgi-bin/stable_token',
    {},
    { grant_type: 'client_credential', appid: appId, secret: appSecret },
  ).then((answer) => {
    if (!answer.access_token) throw new Error(`stable_token errcode ${answer.errcode}`)
    return answer.access_token
  })
  accessToken.catch(() => {
    accessToken = null
  })
  return accessToken
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

interface TokenClaims {
  sub?: string
  aud?: string
  ver?: number
  exp?: number
}

/** The claims of a valid, unexpired HS256 token signed with the shared secret; null otherwise. */
function verifiedClaims(authorization: string | undefined): TokenClaims | null {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : ''
  const [header, payload, signature] = token.split('.')
  if (!header || !payload || !signature) return null
  const expected = createHmac('sha256', tokenSecret).update(`${header}.${payload}`).digest()
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null
  return claims
}

/** The `sub` of a valid, unexpired HS256 token signed with the shared secret; null otherwise. */
function verifiedSubject(authorization: string | undefined): string | null {
  return verifiedClaims(authorization)?.sub ?? null
}

interface PersonRow extends mysql.RowDataPacket {
  id: number
  role: string
  nickname: string | null
  avatar_url: string | null
  country_code: string | null
  mobile: string | null
  created_at: Date
}

async function me(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const sub = verifiedSubject(request.headers.authorization)
  if (!sub || !people) return answer(response, 401, { error: 'unauthorized' })
  const [rows] = await people.execute<PersonRow[]>('SELECT * FROM users WHERE id = ? LIMIT 1', [sub])
  const row = rows[0]
  if (!row) return answer(response, 401, { error: 'unauthorized' })
  answer(response, 200, {
    user: {
      id: row.id,
      role: row.role,
      nickname: row.nickname,
      avatarUrl: row.avatar_url,
      phone: row.mobile
        ? { countryCode: row.country_code, masked: `${row.mobile.slice(0, 3)}****${row.mobile.slice(-4)}` }
        : null,
      createdAt: row.created_at.toISOString(),
    },
  })
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

interface AdminRow extends mysql.RowDataPacket {
  token_version: number
}

/**
 * The API's search statement for `q`, every branch its shape has (apps/api `peopleSearch`): a
 * nickname's start; from 2 characters, the nickname's pieces (`name_bigrams`) checked against
 * the whole text; digits, a whole number or a number's start and tail; an openid's shape, it.
 */
function searchStatement(q: string): { sql: string; values: unknown[] } {
  const parts = ['SELECT id FROM users WHERE nickname LIKE ?']
  const values: unknown[] = [`${escapeLike(q)}%`]
  const pieces = queryBigrams(q)
  if (pieces.length > 0) {
    // one piece's range, the others looked up by primary key (the API's `ownersWithPieces`)
    const others = pieces
      .slice(1)
      .map(
        (_, i) =>
          ` JOIN name_bigrams b${i + 1} ON b${i + 1}.kind = b0.kind AND b${i + 1}.bigram = ? AND b${i + 1}.owner_id = b0.owner_id`,
      )
      .join('')
    parts.push(
      `SELECT users.id FROM (SELECT b0.owner_id FROM name_bigrams b0${others} WHERE b0.kind = 'user' AND b0.bigram = ?) b JOIN users ON users.id = b.owner_id WHERE users.nickname LIKE ?`,
    )
    values.push(...pieces.slice(1), pieces[0], `%${escapeLike(q)}%`)
  }
  const digits = q.replace(/[\s\-+()]/g, '')
  if (digits.length >= 3 && /^\d+$/.test(digits)) {
    const whole = normalizeMobile(q)
    if (whole) {
      parts.push('SELECT id FROM users WHERE country_code = ? AND mobile = ?')
      values.push(whole.countryCode, whole.number)
    } else {
      parts.push(
        'SELECT id FROM users WHERE mobile LIKE ?',
        'SELECT id FROM users WHERE mobile_reversed LIKE ?',
      )
      values.push(`${escapeLike(digits)}%`, `${escapeLike([...digits].reverse().join(''))}%`)
    }
  }
  if (/^[\w-]{16,64}$/.test(q)) {
    parts.push('SELECT user_id AS id FROM wechat_identities WHERE openid = ?')
    values.push(q)
  }
  return {
    sql: `SELECT u.*, p.total FROM users u JOIN (
       SELECT m.id, COUNT(*) OVER () AS total FROM (${parts.join(' UNION ')}) m ORDER BY m.id DESC LIMIT 20 OFFSET 0
     ) p ON p.id = u.id ORDER BY u.id DESC`,
    values,
  }
}

/**
 * The admin search: the admin's token checked and their token version read by primary key
 * (prepared), as the API's guard does for logout to be immediate, then the API's statement.
 */
async function search(request: http.IncomingMessage, url: URL, response: http.ServerResponse): Promise<void> {
  const claims = verifiedClaims(request.headers.authorization)
  if (!claims?.sub || claims.aud !== 'admin' || !people)
    return answer(response, 401, { error: 'unauthorized' })
  const [admins] = await people.execute<AdminRow[]>(
    'SELECT id, username, token_version FROM admin_accounts WHERE id = ? LIMIT 1',
    [claims.sub],
  )
  if (admins[0]?.token_version !== claims.ver) return answer(response, 401, { error: 'unauthorized' })
  const q = url.searchParams.get('q')?.trim() ?? ''
  if (!q) return answer(response, 400, { error: 'q required' })
  const statement = searchStatement(q)
  const [rows] = await people.query<(PersonRow & { total: number })[]>(statement.sql, statement.values)
  answer(response, 200, {
    items: rows.map((row) => ({
      id: row.id,
      role: row.role,
      nickname: row.nickname,
      mobile: row.mobile,
      countryCode: row.country_code,
      createdAt: row.created_at.toISOString(),
    })),
    total: Number(rows[0]?.total ?? 0),
  })
}

interface SlotRow extends mysql.RowDataPacket {
  id: number
  starts_at: Date
  ends_at: Date
  title: string
  capacity: number
  booked: number
  deleted_at: Date | null
  mine: number | null
}

async function book(
  request: http.IncomingMessage,
  body: string,
  response: http.ServerResponse,
): Promise<void> {
  const sub = verifiedSubject(request.headers.authorization)
  if (!sub || !people) return answer(response, 401, { error: 'unauthorized' })
  let slotId: number
  try {
    slotId = (JSON.parse(body) as { slotId: number }).slotId
  } catch {
    slotId = Number.NaN
  }
  if (!Number.isInteger(slotId)) return answer(response, 400, { error: 'slotId required' })
  const [persons] = await people.execute<PersonRow[]>('SELECT * FROM users WHERE id = ? LIMIT 1', [sub])
  const person = persons[0]
  if (!person) return answer(response, 401, { error: 'unauthorized' })
  if (!person.mobile) return answer(response, 403, { error: 'phone required' })
  const [slots] = await people.execute<SlotRow[]>(
    `SELECT s.*, b.id AS mine FROM slots s
     LEFT JOIN bookings b ON b.slot_id = s.id AND b.user_id = ? AND b.active_flag = 1
     WHERE s.id = ? LIMIT 1`,
    [sub, slotId],
  )
  const slot = slots[0]
  const now = new Date()
  if (!slot || slot.deleted_at) return answer(response, 404, { error: 'no such slot' })
  if (slot.mine !== null) return answer(response, 409, { error: 'already booked' })
  if (slot.starts_at <= now || slot.booked >= slot.capacity) return answer(response, 409, { error: 'full' })
  const connection = await people.getConnection()
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await connection.query('BEGIN')
        const [taken] = await connection.execute<mysql.ResultSetHeader>(
          'UPDATE slots SET booked = booked + 1 WHERE id = ? AND deleted_at IS NULL AND booked < capacity AND starts_at > ?',
          [slotId, now],
        )
        if (taken.affectedRows !== 1) {
          await connection.query('ROLLBACK')
          return answer(response, 409, { error: 'full' })
        }
        const [inserted] = await connection.execute<mysql.ResultSetHeader>(
          'INSERT INTO bookings (slot_id, user_id, created_at) VALUES (?, ?, ?)',
          [slotId, sub, now],
        )
        await connection.query('COMMIT')
        return answer(response, 200, {
          booking: {
            id: inserted.insertId,
            status: 'booked',
            createdAt: now.toISOString(),
            slot: { id: slot.id, startsAt: slot.starts_at.toISOString(), endsAt: slot.ends_at.toISOString() },
          },
        })
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined)
        // as the API: a deadlock (InnoDB, or a Galera certification failure) runs it again
        if ((error as { errno?: number }).errno === 1213 && attempt < 10) continue
        throw error
      }
    }
  } finally {
    connection.release()
  }
}

interface PhoneAnswer {
  errcode?: number
  phone_info?: { purePhoneNumber: string; countryCode: string | number }
}

/**
 * The least a phone binding does (`{code, openid}`): the API's token checked, WeChat's phone
 * number fetched (the same round trip as the API's, with the access token kept in memory) and
 * one write, the number onto the person's row.
 */
async function bind(
  request: http.IncomingMessage,
  body: string,
  response: http.ServerResponse,
): Promise<void> {
  const sub = verifiedSubject(request.headers.authorization)
  if (!sub || !people) return answer(response, 401, { error: 'unauthorized' })
  let parsed: { code?: unknown; openid?: unknown }
  try {
    parsed = JSON.parse(body) as typeof parsed
  } catch {
    parsed = {}
  }
  if (typeof parsed.code !== 'string' || typeof parsed.openid !== 'string')
    return answer(response, 400, { error: 'code and openid required' })
  const phone = await wechatCall<PhoneAnswer>(
    'POST',
    '/wxa/business/getuserphonenumber',
    { access_token: await currentAccessToken() },
    { code: parsed.code, openid: parsed.openid },
  )
  const info = phone.phone_info
  if (!info) return answer(response, 400, { error: `getuserphonenumber errcode ${phone.errcode}` })
  const countryCode = String(info.countryCode)
  const mobile = info.purePhoneNumber
  await people.execute('UPDATE users SET country_code = ?, mobile = ? WHERE id = ?', [
    countryCode,
    mobile,
    sub,
  ])
  answer(response, 200, {
    user: { id: Number(sub), phone: { countryCode, masked: `${mobile.slice(0, 3)}****${mobile.slice(-4)}` } },
  })
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

/** A silent login's status and answer for a parsed body: the same work whichever server hosts it. */
async function loginAnswer(body: unknown): Promise<[number, unknown]> {
  const code = (body as { code?: unknown } | null | undefined)?.code
  if (typeof code !== 'string' || code === '') return [400, { error: 'code required' }]
  const session = await code2Session(code)
  if (!session.openid || !session.session_key)
    return [400, { error: `code2Session errcode ${session.errcode}` }]
  // LAST_INSERT_ID(id) makes an update report the existing row's id, so one statement gives the id.
  const [result] = await pool.query<mysql.ResultSetHeader>(
    `INSERT INTO floor_sessions (app_id, openid, session_key, last_login_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))
     ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id), session_key = VALUES(session_key),
       last_login_at = VALUES(last_login_at)`,
    [appId, session.openid, session.session_key],
  )
  return [
    200,
    { token: signToken(result.insertId), expiresIn: TOKEN_TTL_SECONDS, user: { id: result.insertId } },
  ]
}

async function login(
  _request: http.IncomingMessage,
  body: string,
  response: http.ServerResponse,
): Promise<void> {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  const [status, answered] = await loginAnswer(parsed)
  answer(response, status, answered)
}

/**
 * The same login hosted by a bare Fastify 5 app (no plugins, hooks, schemas or logger: Fastify's
 * JSON body parser, router and reply), on a port of its own: the framework's own cost, apart
 * from what the API does in it.
 */
async function listenFastifyFloor(fastifyPort: number): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  app.post('/login', async (request, reply) => {
    const [status, answered] = await loginAnswer(request.body)
    return reply.code(status).send(answered)
  })
  app.server.keepAliveTimeout = 65_000
  app.server.headersTimeout = 66_000
  await app.listen({ port: fastifyPort, host: '127.0.0.1' })
  return app
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

  const failed = (response: http.ServerResponse) => (error: unknown) => {
    process.stderr.write(`floor request failed: ${(error as Error).message}\n`)
    if (!response.headersSent) answer(response, 500, { error: 'internal' })
  }
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/healthz') return answer(response, 200, { status: 'ok' })
    if (request.method === 'GET' && request.url === '/me')
      return void me(request, response).catch(failed(response))
    if (request.method === 'GET' && request.url?.startsWith('/search?')) {
      return void search(request, new URL(request.url, 'http://floor'), response).catch(failed(response))
    }
    const post =
      request.method === 'POST'
        ? { '/login': login, '/book': book, '/bind': bind }[request.url ?? '']
        : undefined
    if (!post) return answer(response, 404, { error: 'not found' })
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      body += chunk
    })
    request.on('end', () => {
      post(request, body, response).catch(failed(response))
    })
  })
  // the same keep-alive settings as the API's server.ts
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000
  server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening on ${port}\n`))
  const fastifyFloor = fastifyPort ? await listenFastifyFloor(fastifyPort) : null

  const close = () => {
    server.close()
    server.closeAllConnections()
    void fastifyFloor?.close()
    Promise.all([pool.end(), people?.end()]).finally(() => process.exit(0))
  }
  process.once('SIGTERM', close)
  process.once('SIGINT', close)
}

main().catch((error: unknown) => {
  process.stderr.write(`floor failed to start: ${(error as Error).message}\n`)
  process.exit(1)
})
