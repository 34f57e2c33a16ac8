import type { RowDataPacket } from 'mysql2/promise'
import { adminToken, type BenchContext, callApi, type Session, watched } from '../context'
import { type Latency, type LoadResult, runLoad, serverErrors, summarize } from '../load'
import { fmt, type ScenarioReport } from '../report'
import { alternated, medianLatency, medianOfRounds, roundsNote, summed } from '../rounds'

/** Creates slots of one day through the admin API and answers their ids, in the order of `times`. */
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

interface StormRound {
  result: LoadResult
  /** answers by status and error code (`200`, `409 SLOT_FULL`, …) */
  codes: Record<string, number>
  firstWave: Latency
  afterWave: Latency
  /** `slots.booked` and the slot's active bookings in the database afterwards */
  stored: { booked: number; active: number }
}

/** One storm on one slot: every session books it once, `connections` at a time. */
async function storm(
  ctx: BenchContext,
  endpoint: { url: string; path: string; watch: Record<string, number | undefined> },
  sessions: Session[],
  slotId: number,
): Promise<StormRound> {
  const { stormRequests, stormConnections } = ctx.sizes
  const codes: Record<string, number> = {}
  let index = 0
  const result = await runLoad({
    baseUrl: endpoint.url,
    connections: stormConnections,
    amount: stormRequests,
    watch: endpoint.watch,
    keepSamples: true,
    next: () => ({
      method: 'POST',
      path: endpoint.path,
      headers: { authorization: `Bearer ${sessions[index++]!.token}` },
      body: { slotId },
    }),
    onResponse: (_request, status, body) => {
      let code = String(status)
      if (status !== 200) {
        try {
          const { error } = JSON.parse(body) as { error: { code: string } | string }
          code = `${status} ${typeof error === 'string' ? error : error.code}`
        } catch {
          // not an error envelope: keep the status alone
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
  // the first answers are those of the requests sent at once, when the slot still has places:
  // the bookings queue on the slot's row lock there, and the p99 of the whole storm lives there
  const samples = result.samples ?? []
  return {
    result,
    codes,
    firstWave: summarize(samples.slice(0, stormConnections).map(([, ms]) => ms)),
    afterWave: summarize(samples.slice(stormConnections).map(([, ms]) => ms)),
    stored: { booked: Number(slot?.booked), active: Number(active?.n) },
  }
}

/** `count` back-to-back hours from 09:00, one slot each. */
function hours(count: number) {
  const at = (hour: number) => `${String(hour).padStart(2, '0')}:00`
  return Array.from({ length: count }, (_, i) => ({ start: at(9 + i), end: at(10 + i) }))
}

/** The rounds of one side as one: medians of the latencies, the first wave's and the rest's. */
function combined(rounds: StormRound[]) {
  return {
    result: medianOfRounds(rounds.map((r) => r.result)),
    firstWave: medianLatency(rounds.map((r) => r.firstWave)),
    afterWave: medianLatency(rounds.map((r) => r.afterWave)),
  }
}

/**
 * Many people with a bound phone book the same slot at once: 10 000 requests over 256
 * connections for 100 places. Exactly the capacity is booked, everyone else hears SLOT_FULL,
 * nothing fails; checked in the database too, round by round. The floor's bare booking takes the
 * same storm on a slot of its own, with the same people. Three storms each side, on a fresh slot
 * each, alternated with the floor's; the medians are judged.
 */
export async function bookingStorm(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const { stormRequests, stormCapacity, stormConnections, rounds } = ctx.sizes
  const sessions = await ctx.sessions()
  if (sessions.length < stormRequests)
    throw new Error(`${stormRequests} people needed, ${sessions.length} logged in`)
  const token = await adminToken(ctx, ctx.large)
  const slotIds = await createSlots(ctx, token, {
    day: ctx.freeDay(),
    times: hours(2 * rounds),
    capacity: stormCapacity,
    title: '抢号压测',
  })
  const apiEndpoint = { url: ctx.large.stack.apiUrl, path: '/api/bookings', watch: watched(ctx, ctx.large) }
  const floorEndpoint = {
    url: ctx.floor.url,
    path: '/book',
    watch: { server: ctx.floor.pid, database: ctx.databasePid },
  }
  const [apiRounds, floorRounds] = await alternated(
    rounds,
    (round) => storm(ctx, apiEndpoint, sessions, slotIds[round]!),
    (round) => storm(ctx, floorEndpoint, sessions, slotIds[rounds + round]!),
  )
  const api = combined(apiRounds)
  const floor = combined(floorRounds)
  const apiCodes = summed(apiRounds.map((r) => r.codes))
  const floorCodes = summed(floorRounds.map((r) => r.codes))
  const bookedExactly = (round: StormRound) =>
    round.codes['200'] === stormCapacity && round.codes['409 SLOT_FULL'] === stormRequests - stormCapacity
  const storedExactly = (round: StormRound) =>
    round.stored.booked === stormCapacity && round.stored.active === stormCapacity
  const fivexx = serverErrors(api.result)
  const answers = (codes: Record<string, number>) =>
    Object.entries(codes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, count]) => `${code}: ${fmt.count(count)}`)
      .join(', ')
  const wave = (side: ReturnType<typeof combined>) =>
    `first ${stormConnections} answers: p50 ${fmt.ms(side.firstWave.p50)}, max ${fmt.ms(side.firstWave.max)}; the rest: p99 ${fmt.ms(side.afterWave.p99)}`
  const { latency } = api.result
  const perRound = rounds > 1 ? ` in each of ${rounds} storms` : ''
  const stored = (list: StormRound[]) => list.map((r) => `${r.stored.booked}/${r.stored.active}`).join(', ')

  return {
    id: 'booking-storm',
    title: `booking storm, ${fmt.count(stormRequests)} requests, capacity ${stormCapacity}`,
    rows: [
      {
        measured: `p99 ${fmt.ms(latency.p99)} at ${stormConnections} connections (p50 ${fmt.ms(latency.p50)}, ${fmt.rps(api.result.rps)})${roundsNote(
          apiRounds.map((r) => r.result.latency.p99),
          fmt.ms,
        )}`,
        target: '',
        pass: null,
      },
      { measured: wave(api), target: '', pass: null },
      {
        measured: `API ${fmt.ratio(latency.p99 / floor.result.latency.p99)} the floor's p99 (token check, two reads, a conditional UPDATE and an INSERT one at a time, node:http: p99 ${fmt.ms(floor.result.latency.p99)}, p50 ${fmt.ms(floor.result.latency.p50)}, ${fmt.rps(floor.result.rps)})`,
        target: '≤ 1.5× floor p99',
        pass: ctx.quick ? null : latency.p99 / floor.result.latency.p99 <= 1.5,
      },
      { measured: `floor: ${wave(floor)}`, target: '', pass: null },
      {
        measured: `CPU ms per request, API: ${fmt.cpu(api.result.cpuMsPerRequest)}; floor: ${fmt.cpu(floor.result.cpuMsPerRequest)}`,
        target: '',
        pass: null,
      },
    ],
    checks: [
      {
        what: `${fmt.count(stormCapacity)} booked, ${fmt.count(stormRequests - stormCapacity)} SLOT_FULL${perRound}`,
        ok: apiRounds.every(bookedExactly),
        detail: answers(apiCodes),
        target: `exactly ${stormCapacity} booked`,
      },
      {
        what: `${fivexx} × 5xx, ${api.result.errors} connection errors`,
        ok: fivexx === 0 && api.result.errors === 0 && api.result.requests === stormRequests * rounds,
        target: '0 × 5xx',
      },
      {
        what: `database: slots.booked and active bookings (${stored(apiRounds)})`,
        ok: apiRounds.every(storedExactly),
        target: `both ${stormCapacity}`,
      },
      {
        what: `floor: ${stormCapacity} booked${perRound}; database ${stored(floorRounds)}`,
        ok:
          floorRounds.every((round) => round.codes['200'] === stormCapacity && storedExactly(round)) &&
          floor.result.requests === stormRequests * rounds,
        detail: answers(floorCodes),
        target: 'correct',
      },
    ],
    figures: {
      requests: stormRequests,
      capacity: stormCapacity,
      connections: stormConnections,
      rounds,
      rps: api.result.rps,
      latency,
      firstWave: api.firstWave,
      afterWave: api.afterWave,
      cpuMsPerRequest: api.result.cpuMsPerRequest,
      answers: apiCodes,
      storms: apiRounds.map((r) => ({
        rps: r.result.rps,
        latency: r.result.latency,
        firstWave: r.firstWave,
        answers: r.codes,
        stored: r.stored,
      })),
      floor: {
        rps: floor.result.rps,
        latency: floor.result.latency,
        firstWave: floor.firstWave,
        afterWave: floor.afterWave,
        cpuMsPerRequest: floor.result.cpuMsPerRequest,
        answers: floorCodes,
        storms: floorRounds.map((r) => ({ rps: r.result.rps, latency: r.result.latency, stored: r.stored })),
      },
    },
  }
}
