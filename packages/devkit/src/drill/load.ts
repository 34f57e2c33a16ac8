import { setTimeout as sleep } from 'node:timers/promises'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import { DEMO_ADMIN } from '../demoData'
import type { Answered } from './invariants'

/** One request as a client saw it: what, when (ms since the drill's start) and the status (0: no answer). */
export interface Sample {
  kind: 'login' | 'phone' | 'booking' | 'staffImport'
  start: number
  end: number
  status: number
  /** the error envelope's code, for an answer of 400-499 */
  code?: string
}

interface Reply {
  status: number
  body: Record<string, unknown> | null
}

/**
 * The drill's clients: people logging in, binding a phone and booking, and an admin importing
 * staff numbers, all through the load balancer, each request recorded.
 */
export class Workload {
  readonly samples: Sample[] = []
  readonly answered: Answered = { bookings: [], logins: [], phones: [], staff: [] }
  private running = false
  private readonly loops: Promise<void>[] = []
  private sequence = 0
  private slotIds: number[] = []
  private adminToken = ''
  readonly t0 = Date.now()

  constructor(
    private readonly apiUrl: string,
    private readonly sandboxUrl: string,
    /** distinguishes this run's people and numbers from an earlier run's on the same database */
    private readonly runTag: string,
    /** places per slot: enough that bookings still succeed through the last fault */
    private readonly capacity: number,
  ) {}

  now(): number {
    return Date.now() - this.t0
  }

  private async call(
    kind: Sample['kind'] | null,
    path: string,
    body: unknown,
    token?: string,
    base = this.apiUrl,
  ): Promise<Reply> {
    const start = this.now()
    let status = 0
    let parsed: Record<string, unknown> | null = null
    try {
      const response = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      })
      status = response.status
      parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null
    } catch {
      status = 0
    }
    const code = status >= 400 && status < 500 ? errorCodeOf(parsed) : undefined
    if (kind) this.samples.push({ kind, start, end: this.now(), status, ...(code ? { code } : {}) })
    return { status, body: parsed }
  }

  /** The admin's token and two days of hourly slots. */
  async prepare(): Promise<void> {
    const login = await this.call(null, '/api/admin/auth/login', DEMO_ADMIN)
    if (login.status !== 200) throw new Error(`admin login answered ${login.status}`)
    this.adminToken = String(login.body?.token)
    const day = (ahead: number) =>
      new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10)
    const times = Array.from({ length: 24 }, (_, h) => ({
      start: `${String(h).padStart(2, '0')}:00`,
      end: h === 23 ? '23:59' : `${String(h + 1).padStart(2, '0')}:00`,
    }))
    const created = await this.call(
      null,
      '/api/admin/slots',
      { from: day(2), to: day(3), times, capacity: this.capacity, title: `drill ${this.runTag}` },
      this.adminToken,
    )
    if (created.status === 200) {
      this.slotIds = (created.body as { items: { id: number }[] }).items.map((slot) => slot.id)
    } else {
      // an earlier run on this database created them: take those
      const listed = await fetch(`${this.apiUrl}/api/admin/slots?from=${day(2)}&to=${day(3)}`, {
        headers: { authorization: `Bearer ${this.adminToken}` },
      })
      const items = ((await listed.json()) as { items: { id: number }[] }).items
      this.slotIds = items.map((slot) => slot.id)
    }
    if (this.slotIds.length === 0) throw new Error('no slots to book')
  }

  start(people: number): void {
    this.running = true
    for (let i = 0; i < people; i++) this.loops.push(this.person())
    this.loops.push(this.admin())
  }

  async stop(): Promise<void> {
    this.running = false
    await Promise.all(this.loops)
  }

  private nextMobile(): string {
    // 1 + [3-9] + 9 digits: a mainland mobile, unique within the run
    this.sequence++
    return `17${this.runTag}${String(this.sequence).padStart(9 - this.runTag.length, '0')}`
  }

  /** A person's life, again and again: open the app, tap 快捷登录, book two slots. */
  private async person(): Promise<void> {
    while (this.running) {
      const openid = `drill-${this.runTag}-${++this.sequence}`
      const code = await this.call(
        null,
        '/__sandbox/login-code',
        { appId: DEMO_APP.appId, openid },
        undefined,
        this.sandboxUrl,
      )
      if (code.status !== 200) {
        await sleep(200)
        continue
      }
      const login = await this.call('login', '/api/auth/wx-login', {
        code: code.body?.code,
        appId: DEMO_APP.appId,
      })
      if (login.status !== 200) {
        await sleep(200)
        continue
      }
      const { token, user } = login.body as { token: string; user: { id: number } }
      const userId = user.id
      this.answered.logins.push(userId)

      const mobile = this.nextMobile()
      const phoneCode = await this.call(
        null,
        '/__sandbox/phone-code',
        { appId: DEMO_APP.appId, openid, phoneNumber: mobile },
        undefined,
        this.sandboxUrl,
      )
      const bound = await this.call('phone', '/api/auth/phone', { code: phoneCode.body?.code }, token)
      if (bound.status !== 200) {
        await sleep(200)
        continue
      }
      this.answered.phones.push({ userId, mobile })
      const fresh = String(bound.body?.token ?? token)

      for (let i = 0; i < 2 && this.running; i++) {
        const slotId = this.slotIds[Math.floor(Math.random() * this.slotIds.length)]
        const booked = await this.call('booking', '/api/bookings', { slotId }, fresh)
        if (booked.status === 200)
          this.answered.bookings.push((booked.body as { booking: { id: number } }).booking.id)
      }
    }
  }

  /** Every few seconds an admin imports a batch of staff numbers, some of them people's numbers. */
  private async admin(): Promise<void> {
    while (this.running) {
      const rows = Array.from({ length: 200 }, () => ({ mobile: this.nextMobile(), name: 'drill' }))
      const imported = await this.call('staffImport', '/api/admin/staff/import', { rows }, this.adminToken)
      if (imported.status === 200) this.answered.staff.push(...rows.map((row) => row.mobile))
      await sleep(3000)
    }
  }
}

function errorCodeOf(body: Record<string, unknown> | null): string {
  const error = body?.error as { code?: unknown } | undefined
  return typeof error?.code === 'string' ? error.code : 'no envelope'
}

/** Requests of `samples` started within [from, to), by status, with the fault's figures. */
export function summarise(samples: Sample[], from: number, to: number) {
  const inside = samples.filter((s) => s.start >= from && s.start < to).sort((a, b) => a.end - b.end)
  const byStatus: Record<string, number> = {}
  for (const s of inside) byStatus[s.status] = (byStatus[s.status] ?? 0) + 1
  // a failure is an answer the client could not use: no answer, or 5xx
  const failures = inside.filter((s) => s.status === 0 || s.status >= 500)
  const successes = inside.filter((s) => s.status >= 200 && s.status < 300)
  let longestStallMs = 0
  let previous = from
  for (const s of successes) {
    longestStallMs = Math.max(longestStallMs, s.end - previous)
    previous = s.end
  }
  longestStallMs = Math.max(longestStallMs, Math.min(to, inside.at(-1)?.end ?? to) - previous)
  // the longest time clients kept failing: failed requests' intervals merged across gaps under 1 s
  let longestOutageMs = 0
  let outage: { start: number; end: number } | null = null
  for (const s of [...failures].sort((a, b) => a.start - b.start)) {
    if (outage && s.start <= outage.end + 1000) outage.end = Math.max(outage.end, s.end)
    else outage = { start: s.start, end: s.end }
    longestOutageMs = Math.max(longestOutageMs, outage.end - outage.start)
  }
  const errorSpanMs = failures.length
    ? Math.max(...failures.map((s) => s.end)) - Math.min(...failures.map((s) => s.start))
    : 0
  // a 4xx counted by its code too: a refusal the workload never asks for is a finding
  const byKind: Record<string, Record<string, number>> = {}
  for (const s of inside) {
    const kind = byKind[s.kind] ?? {}
    const key = s.code ? `${s.status} ${s.code}` : String(s.status)
    kind[key] = (kind[key] ?? 0) + 1
    byKind[s.kind] = kind
  }
  // failures per second since `from`: where in the fault they fell
  const failuresBySecond: Record<string, number> = {}
  for (const s of failures) {
    const second = Math.floor((s.start - from) / 1000)
    failuresBySecond[second] = (failuresBySecond[second] ?? 0) + 1
  }
  return {
    requests: inside.length,
    byStatus,
    byKind,
    failuresBySecond,
    status500: inside.filter((s) => s.status === 500).length,
    failures: failures.length,
    errorSpanMs,
    longestOutageMs,
    longestStallMs,
  }
}
