import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { adminToken, type BenchContext } from '../context'
import { type LoadRequest, runLoad, serverErrors } from '../load'
import { openidOf, randomPerson } from '../people'
import { fmt, type ScenarioReport } from '../report'
import type { SandboxControl } from '../sandbox'
import { createSlots } from './bookingStorm'

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1])
  return kb / 1024
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0)
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0)
  return den === 0 ? 0 : num / den
}

/** With --profile, the API logs its own memory figures (see profiler/preload.mjs): heap vs the rest. */
function heapFigures(ctx: BenchContext, pid: number, since: number) {
  const file = ctx.profileDir ? join(ctx.profileDir, `${pid}-memory.jsonl`) : ''
  if (!file || !existsSync(file)) return undefined
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { t: number; rss: number; heapTotal: number; heapUsed: number; external: number },
    )
    .filter((entry) => entry.t >= since)
  const mb = (bytes: number) => bytes / 2 ** 20
  const last = entries.at(-1)
  if (!last) return undefined
  return {
    maxHeapTotalMb: mb(Math.max(...entries.map((e) => e.heapTotal))),
    maxHeapUsedMb: mb(Math.max(...entries.map((e) => e.heapUsed))),
    last: {
      rssMb: mb(last.rss),
      heapTotalMb: mb(last.heapTotal),
      heapUsedMb: mb(last.heapUsed),
      externalMb: mb(last.external),
    },
    entries,
  }
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length

/**
 * Login codes for a long run: codes live 5 minutes, so they are fetched in batches while the load
 * runs, ahead of need. `take` never waits: when the pool is dry (it should not be) it says so and
 * the caller sends something else.
 */
class LoginCodePool {
  private codes: string[] = []
  private refilling: Promise<void> | null = null
  starved = 0

  constructor(
    private readonly sandbox: SandboxControl,
    private readonly population: number,
    private readonly batch: number,
  ) {}

  async fill(): Promise<void> {
    const openids = Array.from({ length: this.batch }, () => openidOf(randomPerson(this.population)))
    this.codes.push(...(await this.sandbox.loginCodes(openids)))
  }

  take(): string | undefined {
    if (this.codes.length < this.batch && !this.refilling) {
      this.refilling = this.fill().finally(() => {
        this.refilling = null
      })
    }
    const code = this.codes.pop()
    if (code === undefined) this.starved++
    return code
  }
}

/**
 * Five minutes of what a busy morning looks like, flat out on 32 connections: silent logins,
 * `GET /api/me`, the day's slots, and people booking then cancelling. The API's resident memory
 * is sampled from /proc all along; over the last three minutes it must stay flat.
 */
export async function memory(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const { memorySeconds, memorySampleMs, memoryJudgedSeconds, connections } = ctx.sizes
  const target = ctx.large
  const pid = target.stack.apiPid
  const sessions = await ctx.sessions()
  const token = await adminToken(ctx, target)
  const day = ctx.freeDay()
  const slotIds = await createSlots(ctx, token, {
    day,
    times: Array.from({ length: 8 }, (_, h) => ({
      start: `${String(9 + h).padStart(2, '0')}:00`,
      end: `${String(10 + h).padStart(2, '0')}:00`,
    })),
    capacity: 100_000,
    title: '日常预约',
  })
  const codes = new LoginCodePool(target.sandbox, target.population, 10_000)
  await codes.fill()

  /** per person: the booking they hold (to cancel next), and whether a request of theirs is in flight */
  const held = new Map<number, number>()
  const busy = new Set<number>()
  const counts: Record<string, number> = {}
  const next = (): LoadRequest => {
    const roll = Math.random()
    if (roll < 0.25) {
      const code = codes.take()
      if (code) return { method: 'POST', path: '/api/auth/wx-login', body: { code }, kind: 'login' }
    }
    let who = Math.floor(Math.random() * sessions.length)
    while (busy.has(who)) who = Math.floor(Math.random() * sessions.length)
    const auth = { authorization: `Bearer ${sessions[who]!.token}` }
    if (roll < 0.6) return { method: 'GET', path: '/api/me', headers: auth, kind: 'me' }
    if (roll < 0.8) return { method: 'GET', path: `/api/slots?date=${day}`, headers: auth, kind: 'slots' }
    busy.add(who)
    const booking = held.get(who)
    if (booking !== undefined) {
      return {
        method: 'POST',
        path: `/api/bookings/${booking}/cancel`,
        headers: auth,
        kind: 'cancel',
        tag: who,
      }
    }
    const slotId = slotIds[Math.floor(Math.random() * slotIds.length)]
    return { method: 'POST', path: '/api/bookings', headers: auth, body: { slotId }, kind: 'book', tag: who }
  }

  const samples: { t: number; rss: number }[] = []
  const wallStart = Date.now()
  const began = performance.now()
  const sample = () => samples.push({ t: (performance.now() - began) / 1000, rss: rssMb(pid) })
  sample()
  const sampler = setInterval(sample, memorySampleMs)
  const result = await runLoad({
    baseUrl: target.stack.apiUrl,
    connections,
    durationSeconds: memorySeconds,
    next,
    onResponse: (request, status, body) => {
      counts[`${request.kind} ${status}`] = (counts[`${request.kind} ${status}`] ?? 0) + 1
      if (request.tag === undefined) return
      const who = request.tag as number
      busy.delete(who)
      if (request.kind === 'book' && status === 200)
        held.set(who, (JSON.parse(body) as { booking: { id: number } }).booking.id)
      if (request.kind === 'cancel') held.delete(who)
    },
  }).finally(() => clearInterval(sampler))
  sample()

  const maxRss = Math.max(...samples.map((s) => s.rss))
  const window = samples.filter((s) => s.t >= memorySeconds - memoryJudgedSeconds)
  const third = memoryJudgedSeconds / 3
  const firstThird = window.filter((s) => s.t < memorySeconds - 2 * third).map((s) => s.rss)
  const lastThird = window.filter((s) => s.t >= memorySeconds - third).map((s) => s.rss)
  const growth = mean(lastThird) - mean(firstThird)
  const perMinute = slope(window.map((s) => ({ x: s.t / 60, y: s.rss })))
  const tolerance = Math.max(5, 0.03 * mean(firstThird))
  const fivexx = serverErrors(result)
  const heap = heapFigures(ctx, pid, wallStart)
  const heapRow = heap
    ? [
        {
          measured: `V8 heap at the end: ${fmt.mb(heap.last.heapUsedMb)} used of ${fmt.mb(heap.last.heapTotalMb)} (RSS ${fmt.mb(heap.last.rssMb)}, external ${fmt.mb(heap.last.externalMb)})`,
          target: '',
          pass: null,
        },
      ]
    : []

  return {
    id: 'memory',
    title: `memory, ${memorySeconds >= 60 ? `${memorySeconds / 60} min` : `${memorySeconds} s`} of mixed load`,
    rows: [
      {
        measured: `API RSS at most ${fmt.mb(maxRss)} (${fmt.mb(samples[0]!.rss)} at the start, ${fmt.rps(result.rps)})`,
        target: 'RSS ≤ 200 MB',
        pass: ctx.quick ? null : maxRss <= 200,
      },
      {
        measured: `last ${Math.round(third)} s vs first ${Math.round(third)} s of the last ${memoryJudgedSeconds} s: ${growth >= 0 ? '+' : ''}${fmt.mb(growth)} (slope ${perMinute >= 0 ? '+' : ''}${perMinute.toFixed(2)} MB/min)`,
        target: `not growing (≤ +${fmt.mb(tolerance)})`,
        pass: ctx.quick ? null : growth <= tolerance,
      },
      ...heapRow,
    ],
    checks: [
      {
        what: `${fivexx} × 5xx, ${result.errors} connection errors`,
        ok: fivexx === 0 && result.errors === 0,
        detail: `${fmt.count(result.requests)} requests`,
      },
      {
        what: 'login codes never ran out',
        ok: codes.starved === 0,
        detail: `${codes.starved} requests without a code`,
      },
    ],
    figures: {
      connections,
      rps: result.rps,
      latency: result.latency,
      byKind: result.byKind,
      answers: counts,
      maxRss,
      growth,
      slopeMbPerMinute: perMinute,
      tolerance,
      samples,
      heap,
    },
  }
}
