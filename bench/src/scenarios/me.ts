import { type BenchContext, type Session, type Target, watched } from '../context'
import { type LoadResult, runLoad, serverErrors } from '../load'
import { fmt, type ScenarioReport } from '../report'
import { alternated, medianOfRounds, roundFigures, roundsNote } from '../rounds'

/** Where the load goes: the API's route, or the floor's bare equivalent on the same database. */
interface MeEndpoint {
  url: string
  path: string
  watch: Record<string, number | undefined>
}

function meLoad(endpoint: MeEndpoint, sessions: Session[], connections: number, seconds: number) {
  return runLoad({
    baseUrl: endpoint.url,
    watch: endpoint.watch,
    connections,
    durationSeconds: seconds,
    next: () => {
      const session = sessions[Math.floor(Math.random() * sessions.length)]!
      return { method: 'GET', path: endpoint.path, headers: { authorization: `Bearer ${session.token}` } }
    },
  })
}

/** Connections of the second measurement: few enough that requests barely queue. */
const LIGHT_CONNECTIONS = 4

/**
 * `GET /api/me` with the tokens of many people: the guard (token, then the person's status read
 * fresh) and one read of the person. Measured at 32 connections flat out, as the target says, and
 * again at 4 connections, where the latency is mostly the request's own rather than its queueing
 * (closed loop: at 32 connections the mean latency is 32 / throughput, whatever the code does).
 */
export async function me(
  ctx: BenchContext,
  target: Target = ctx.large,
): Promise<Omit<ScenarioReport, 'seconds'>> {
  // tokens of the large API work on any API of the same database and secret (the Redis one)
  const sessions = await ctx.sessions()
  const { connections, meSeconds } = ctx.sizes
  const api: MeEndpoint = { url: target.stack.apiUrl, path: '/api/me', watch: watched(ctx, target) }
  const floor: MeEndpoint = {
    url: ctx.floor.url,
    path: '/me',
    watch: { server: ctx.floor.pid, database: ctx.databasePid },
  }
  const warm = Math.min(2, meSeconds)
  await meLoad(api, sessions, connections, warm)
  await meLoad(floor, sessions, connections, warm)
  const [apiRounds, floorRounds] = await alternated(
    ctx.sizes.rounds,
    () => meLoad(api, sessions, connections, meSeconds),
    () => meLoad(floor, sessions, connections, meSeconds),
  )
  const full = medianOfRounds(apiRounds)
  const floorFull = medianOfRounds(floorRounds)
  const light = await meLoad(api, sessions, LIGHT_CONNECTIONS, meSeconds)
  const ok = (r: LoadResult) => (r.statuses['200'] ?? 0) === r.requests && r.errors === 0 && r.requests > 0
  const p99Ratio = full.latency.p99 / floorFull.latency.p99
  const suffix = target === ctx.large ? '' : ` (${target.name})`
  return {
    id: target === ctx.large ? 'me' : `me-${target.name}`,
    title: `GET /api/me${suffix}`,
    rows: [
      {
        measured: `p99 ${fmt.ms(full.latency.p99)} at ${connections} connections flat out (${fmt.rps(full.rps)})${roundsNote(
          apiRounds.map((r) => r.latency.p99),
          fmt.ms,
        )}`,
        target: '',
        pass: null,
      },
      {
        measured: `API ${fmt.ratio(p99Ratio)} the floor's p99 (token check + one prepared read, node:http: p99 ${fmt.ms(floorFull.latency.p99)} at ${connections} connections, ${fmt.rps(floorFull.rps)})`,
        target: '≤ 1.5× floor p99',
        pass: ctx.quick ? null : p99Ratio <= 1.5,
      },
      {
        measured: `p99 ${fmt.ms(light.latency.p99)} at ${LIGHT_CONNECTIONS} connections (${fmt.rps(light.rps)})`,
        target: '',
        pass: null,
      },
    ],
    checks: [
      {
        what: 'every request answered 200',
        ok: ok(full) && ok(light),
        detail: `${fmt.count(full.requests + light.requests)} requests, ${serverErrors(full) + serverErrors(light)} 5xx`,
      },
      {
        what: 'floor: every request answered 200',
        ok: ok(floorFull),
        detail: `${fmt.count(floorFull.requests)} requests`,
      },
    ],
    figures: {
      connections,
      people: sessions.length,
      flatOut: {
        rps: full.rps,
        latency: full.latency,
        statuses: full.statuses,
        cpuMsPerRequest: full.cpuMsPerRequest,
        rounds: roundFigures(apiRounds),
      },
      floor: {
        rps: floorFull.rps,
        latency: floorFull.latency,
        cpuMsPerRequest: floorFull.cpuMsPerRequest,
        rounds: roundFigures(floorRounds),
      },
      light: {
        connections: LIGHT_CONNECTIONS,
        rps: light.rps,
        latency: light.latency,
        statuses: light.statuses,
      },
    },
  }
}
