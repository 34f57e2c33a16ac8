import type { RunningStack } from '@yuyue/devkit'
import type mysql from 'mysql2/promise'
import type { RunningFloor } from './floor/start'
import { type LoadRequest, runLoad } from './load'
import type { SandboxControl } from './sandbox'
import type { Sizes } from './sizes'

/** One API (with its own sandbox) on its own database. */
export interface Target {
  name: string
  stack: RunningStack
  sandbox: SandboxControl
  /** the bench's own connections to the API's database (seeding and checks) */
  db: mysql.Pool
  databaseUrl: string
  /** persons 1..population are stored */
  population: number
  /** the sandbox's process, for CPU accounting */
  sandboxPid: number | undefined
}

export interface BenchContext {
  quick: boolean
  sizes: Sizes
  log: (line: string) => void
  /** the API on the large database, where most scenarios run */
  large: Target
  /** the API on the small database (the 1k side of the scaling comparison) */
  small: Target
  floor: RunningFloor
  /** the database server's process when it runs here, for CPU accounting */
  databasePid: number | undefined
  admin: { username: string; password: string }
  /** with --profile: where the large API writes its profiles and memory log */
  profileDir: string | undefined
  /** grows the large database to `population` people */
  growLarge: (population: number) => Promise<void>
  /** logged-in people with a phone on the large API (the storm, /api/me, the mixed load), made once */
  sessions: () => Promise<Session[]>
  /** the first of `count` newcomer numbers no earlier scenario used */
  newcomers: (count: number) => number
  /** a future day (Asia/Shanghai) no earlier scenario put slots on, so new slots never overlap */
  freeDay: () => string
}

export interface Session {
  person: number
  token: string
}

/**
 * Logs `openids` in through the API's own route under load (32 connections, a fresh code each)
 * and answers their tokens, in order. Used to give the storm and the mixed load real sessions.
 */
export async function logIn(
  target: Target,
  openids: readonly string[],
  connections: number,
): Promise<{ tokens: string[]; rps: number; failures: number }> {
  const codes = await target.sandbox.loginCodes(openids)
  const tokens: string[] = new Array(openids.length)
  let index = 0
  let failures = 0
  const result = await runLoad({
    baseUrl: target.stack.apiUrl,
    connections: Math.min(connections, openids.length),
    amount: openids.length,
    next: (): LoadRequest => {
      const at = index++
      return { method: 'POST', path: '/api/auth/wx-login', body: { code: codes[at] }, tag: at }
    },
    onResponse: (request, status, body) => {
      if (status !== 200) {
        failures++
        return
      }
      tokens[request.tag as number] = (JSON.parse(body) as { token: string }).token
    },
  })
  return { tokens, rps: result.rps, failures: failures + result.errors }
}

/** An admin token from the dashboard's login route. */
export async function adminToken(ctx: BenchContext, target: Target): Promise<string> {
  const response = await fetch(`${target.stack.apiUrl}/api/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ctx.admin),
  })
  if (!response.ok) throw new Error(`admin login answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { token: string }).token
}

/** The processes whose CPU time a load on `target` is charged to. */
export function watched(ctx: BenchContext, target: Target): Record<string, number | undefined> {
  return { api: target.stack.apiPid, sandbox: target.sandboxPid, database: ctx.databasePid }
}

/** A JSON call to the API outside any load (setup and checks). */
export async function callApi<T>(
  target: Target,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${target.stack.apiUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as T
}

/** The calendar day `daysAhead` days from now in the API's zone (Asia/Shanghai), as YYYY-MM-DD. */
export function shanghaiDay(daysAhead: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    Date.now() + daysAhead * 86_400_000,
  )
}
