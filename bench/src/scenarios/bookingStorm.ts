import type { RowDataPacket } from 'mysql2/promise'
import { adminToken, type BenchContext, callApi, watched } from '../context'
import { runLoad, serverErrors, summarize } from '../load'
import { fmt, type ScenarioReport } from '../report'

/** Creates one slot through the admin API and answers its id. */
export async function createSlots(
  ctx: BenchContext,
  token: string,
  slot: { day: string; times: { start: string; end: string }[]; capacity: number; title: string },
): Promise<number[]> {
  const created = await callApi<{ items: { id: number }[] }>(ctx.large, 'POST', '/api/admin/slots', {
    token,
    body: { from: slot.day, to: slot.day, times: slot.times, capacity: slot.capacity, title: slot.title },
  })
  return created.items.map((item) => item.id)
}

/**
 * Many people with a bound phone book the same slot at once: 10 000 requests over 256
 * connections for 100 places. Exactly the capacity is booked, everyone else hears SLOT_FULL,
 * nothing fails; checked in the database too.
 */
export async function bookingStorm(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const { stormRequests, stormCapacity, stormConnections } = ctx.sizes
  const sessions = await ctx.sessions()
  if (sessions.length < stormRequests)
    throw new Error(`${stormRequests} people needed, ${sessions.length} logged in`)
  const token = await adminToken(ctx, ctx.large)
  const [slotId] = await createSlots(ctx, token, {
    day: ctx.freeDay(),
    times: [{ start: '09:00', end: '10:00' }],
    capacity: stormCapacity,
    title: '抢号压测',
  })

  const codes: Record<string, number> = {}
  let index = 0
  const result = await runLoad({
    baseUrl: ctx.large.stack.apiUrl,
    connections: stormConnections,
    amount: stormRequests,
    watch: watched(ctx, ctx.large),
    keepSamples: true,
    next: () => ({
      method: 'POST',
      path: '/api/bookings',
      headers: { authorization: `Bearer ${sessions[index++]!.token}` },
      body: { slotId },
    }),
    onResponse: (_request, status, body) => {
      let code = String(status)
      if (status !== 200) {
        try {
          code = `${status} ${(JSON.parse(body) as { error: { code: string } }).error.code}`
        } catch {
          // not the API's error envelope: keep the status alone
        }
      }
      codes[code] = (codes[code] ?? 0) + 1
    },
  })
  const [[slot]] = await ctx.large.db.query<RowDataPacket[]>('SELECT booked FROM slots WHERE id = ?', [
    slotId,
  ])
  const [[active]] = await ctx.large.db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM bookings WHERE slot_id = ? AND status = 'booked'`,
    [slotId],
  )
  const booked = codes['200'] ?? 0
  const full = codes['409 SLOT_FULL'] ?? 0
  const fivexx = serverErrors(result)
  // the first answers are those of the requests sent at once, when the slot still has places:
  // the bookings queue on the slot's row lock there, and the p99 of the whole storm lives there
  const samples = result.samples ?? []
  const firstWave = summarize(samples.slice(0, stormConnections).map(([, ms]) => ms))
  const afterWave = summarize(samples.slice(stormConnections).map(([, ms]) => ms))
  const answers = Object.entries(codes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `${code}: ${fmt.count(count)}`)
    .join(', ')

  return {
    id: 'booking-storm',
    title: `booking storm, ${fmt.count(stormRequests)} requests, capacity ${stormCapacity}`,
    rows: [
      {
        measured: `p99 ${fmt.ms(result.latency.p99)} at ${stormConnections} connections (p50 ${fmt.ms(result.latency.p50)}, ${fmt.rps(result.rps)})`,
        target: 'p99 ≤ 300 ms',
        pass: ctx.quick ? null : result.latency.p99 <= 300,
      },
      {
        measured: `first ${stormConnections} answers: p50 ${fmt.ms(firstWave.p50)}, max ${fmt.ms(firstWave.max)}; the rest: p99 ${fmt.ms(afterWave.p99)}`,
        target: '',
        pass: null,
      },
    ],
    checks: [
      {
        what: `${fmt.count(booked)} booked, ${fmt.count(full)} SLOT_FULL`,
        ok: booked === stormCapacity && full === stormRequests - stormCapacity,
        detail: answers,
        target: `exactly ${stormCapacity} booked`,
      },
      {
        what: `${fivexx} × 5xx, ${result.errors} connection errors`,
        ok: fivexx === 0 && result.errors === 0 && result.requests === stormRequests,
        target: '0 × 5xx',
      },
      {
        what: `database: slots.booked = ${slot?.booked}, ${active?.n} active bookings`,
        ok: Number(slot?.booked) === stormCapacity && Number(active?.n) === stormCapacity,
        target: `both ${stormCapacity}`,
      },
    ],
    figures: {
      requests: stormRequests,
      capacity: stormCapacity,
      connections: stormConnections,
      rps: result.rps,
      latency: result.latency,
      firstWave,
      afterWave,
      cpuMsPerRequest: result.cpuMsPerRequest,
      answers: codes,
    },
  }
}
