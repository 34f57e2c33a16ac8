import type { RowDataPacket } from 'mysql2/promise'
import type { BenchContext, Target } from '../context'
import { type LoadResult, runLoad, serverErrors } from '../load'
import { openidOf, randomPerson } from '../people'
import { type Check, fmt, type Row, type ScenarioReport } from '../report'
import { alternated, median, medianOfRounds } from '../rounds'
import type { SandboxControl } from '../sandbox'

/** InnoDB reads that missed the buffer pool, server-wide (other databases on a shared server count too). */
async function bufferPoolReads(db: Target['db']): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'")
  return Number(rows[0]?.Value ?? Number.NaN)
}

export interface LoginEndpoint {
  name: string
  url: string
  path: string
  sandbox: SandboxControl
  /** the openids of the next `amount` logins */
  people: (amount: number) => string[]
  /** where buffer pool misses are read (any connection to the same server) */
  db: Target['db']
  /** the processes whose CPU time is measured: the server, its sandbox, the database */
  watch: Record<string, number | undefined>
}

/** The openids of `amount` logins by people picked at random among `population` stored. */
export const storedPeople = (population: number) => (amount: number) =>
  Array.from({ length: amount }, () => openidOf(randomPerson(population)))

/** One round of silent logins by the endpoint's people, each request with a fresh code. */
async function loginRound(
  endpoint: LoginEndpoint,
  amount: number,
  connections: number,
): Promise<LoadResult & { diskReadsPerLogin: number }> {
  const openids = endpoint.people(amount)
  const codes = await endpoint.sandbox.loginCodes(openids)
  let index = 0
  const readsBefore = await bufferPoolReads(endpoint.db)
  const result = await runLoad({
    baseUrl: endpoint.url,
    connections,
    amount,
    watch: endpoint.watch,
    next: () => ({ method: 'POST', path: endpoint.path, body: { code: codes[index++] } }),
  })
  return {
    ...result,
    diskReadsPerLogin: ((await bufferPoolReads(endpoint.db)) - readsBefore) / result.requests,
  }
}

export function apiEndpoint(
  ctx: BenchContext,
  target: Target,
  people = storedPeople(target.population),
): LoginEndpoint {
  return {
    name: target.name,
    url: target.stack.apiUrl,
    path: '/api/auth/wx-login',
    sandbox: target.sandbox,
    people,
    db: target.db,
    watch: { server: target.stack.apiPid, sandbox: target.sandboxPid, database: ctx.databasePid },
  }
}

export function allAnswered(name: string, rounds: LoadResult[]): Check {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0)
  const ok = rounds.reduce((sum, r) => sum + (r.statuses['200'] ?? 0), 0)
  const errors = rounds.reduce((sum, r) => sum + r.errors + serverErrors(r), 0)
  return {
    what: `${name}: every login answered 200`,
    ok: ok === requests && errors === 0 && requests > 0,
    detail: `${fmt.count(ok)} of ${fmt.count(requests)}${errors ? `, ${errors} errors` : ''}`,
  }
}

/**
 * Alternates the two sides round by round (A B, B A, A B…), so a noisy neighbour slows both
 * rather than one, and compares the medians.
 */
export async function compare(ctx: BenchContext, a: LoginEndpoint, b: LoginEndpoint) {
  const { loginRequests, warmupRequests, rounds, connections } = ctx.sizes
  await loginRound(a, warmupRequests, connections)
  await loginRound(b, warmupRequests, connections)
  const measured = (side: LoginEndpoint) => async (round: number) => {
    const result = await loginRound(side, loginRequests, connections)
    ctx.log(
      `  ${side.name} round ${round + 1}: ${fmt.rps(result.rps)}, p99 ${fmt.ms(result.latency.p99)}; CPU ms per login: ${fmt.cpu(result.cpuMsPerRequest)}; buffer pool misses per login ${result.diskReadsPerLogin.toFixed(2)}`,
    )
    return result
  }
  const [ofA, ofB] = await alternated(rounds, measured(a), measured(b))
  const results = { [a.name]: ofA, [b.name]: ofB }
  const summary = (name: string) => {
    const list = results[name]!
    const medians = medianOfRounds(list)
    return {
      rps: medians.rps,
      p50: medians.latency.p50,
      p99: medians.latency.p99,
      cpuMsPerLogin: medians.cpuMsPerRequest,
      bufferPoolMissesPerLogin: median(list.map((r) => r.diskReadsPerLogin)),
      rounds: list.map((r) => ({
        rps: r.rps,
        latency: r.latency,
        statuses: r.statuses,
        errors: r.errors,
        cpuMsPerRequest: r.cpuMsPerRequest,
        bufferPoolMissesPerLogin: r.diskReadsPerLogin,
      })),
    }
  }
  return { a: summary(a.name), b: summary(b.name), results }
}

/** The floor's login, served by its node:http server or (`url: fastifyUrl`) by its bare Fastify app. */
export function floorEndpoint(
  ctx: BenchContext,
  name: string,
  url: string,
  people = storedPeople(ctx.large.population),
): LoginEndpoint {
  return {
    name,
    url,
    path: '/login',
    sandbox: ctx.large.sandbox,
    people,
    db: ctx.large.db,
    watch: { server: ctx.floor.pid, sandbox: ctx.large.sandboxPid, database: ctx.databasePid },
  }
}

type LoginFigures = Awaited<ReturnType<typeof compare>>['a']

/**
 * The rows of a login judged against its floor: req/s at least `minRpsRatio` of the floor's, p99
 * at most twice the floor's (judged in the full run only), and both sides' CPU per login.
 */
export function judgedAgainstFloor(
  ctx: BenchContext,
  api: LoginFigures,
  floor: LoginFigures,
  minRpsRatio: number,
): { rows: Row[]; rpsRatio: number; p99Ratio: number } {
  const rpsRatio = api.rps / floor.rps
  const p99Ratio = api.p99 / floor.p99
  const judged = !ctx.quick
  const rows: Row[] = [
    {
      measured: `API ${fmt.rps(api.rps)} = ${fmt.ratio(rpsRatio)} floor (${fmt.rps(floor.rps)})`,
      target: `≥ ${minRpsRatio}× floor req/s`,
      pass: judged ? rpsRatio >= minRpsRatio : null,
    },
    {
      measured: `API p99 ${fmt.ms(api.p99)} = ${fmt.ratio(p99Ratio)} floor p99 (${fmt.ms(floor.p99)})`,
      target: '≤ 2× floor p99',
      pass: judged ? p99Ratio <= 2 : null,
    },
    { measured: `CPU ms per login, API:   ${fmt.cpu(api.cpuMsPerLogin)}`, target: '', pass: null },
    { measured: `CPU ms per login, floor: ${fmt.cpu(floor.cpuMsPerLogin)}`, target: '', pass: null },
  ]
  return { rows, rpsRatio, p99Ratio }
}

/** Silent login of existing people picked at random, against the floor under the same load. */
export async function loginVersusFloor(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const population = ctx.large.population
  const floor = floorEndpoint(ctx, 'floor', ctx.floor.url)
  const api = apiEndpoint(ctx, ctx.large)
  const { a: floorFigures, b: apiFigures, results } = await compare(ctx, floor, api)
  const { rows, rpsRatio, p99Ratio } = judgedAgainstFloor(ctx, apiFigures, floorFigures, 0.8)
  return {
    id: 'login-vs-floor',
    title: `silent login, random of ${fmt.count(population)} people`,
    rows,
    checks: [allAnswered('API', results[api.name]!), allAnswered('floor', results.floor!)],
    figures: {
      population,
      connections: ctx.sizes.connections,
      rpsRatio,
      p99Ratio,
      api: apiFigures,
      floor: floorFigures,
    },
  }
}

/**
 * The floor's own login hosted by a bare Fastify 5 app against the floor's node:http server, under
 * the same load: what the framework the SPEC prescribes costs by itself, before anything the API
 * does in it. Reported beside `login-vs-floor`, not judged: it tells how much of the API's
 * distance to the floor is the framework's and how much is the API's own work.
 */
export async function loginFramework(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const floor = floorEndpoint(ctx, 'floor', ctx.floor.url)
  const fastify = floorEndpoint(ctx, 'fastify', ctx.floor.fastifyUrl)
  const { a: floorFigures, b: fastifyFigures, results } = await compare(ctx, floor, fastify)
  const rpsRatio = fastifyFigures.rps / floorFigures.rps
  const p99Ratio = fastifyFigures.p99 / floorFigures.p99
  return {
    id: 'login-framework',
    title: "the floor's login in a bare Fastify app",
    rows: [
      {
        measured: `Fastify ${fmt.rps(fastifyFigures.rps)} = ${fmt.ratio(rpsRatio)} floor (${fmt.rps(floorFigures.rps)}); p99 ${fmt.ms(fastifyFigures.p99)} = ${fmt.ratio(p99Ratio)} floor's (${fmt.ms(floorFigures.p99)})`,
        target: 'reported',
        pass: null,
      },
      {
        measured: `CPU ms per login, Fastify: ${fmt.cpu(fastifyFigures.cpuMsPerLogin)}`,
        target: '',
        pass: null,
      },
      {
        measured: `CPU ms per login, floor:   ${fmt.cpu(floorFigures.cpuMsPerLogin)}`,
        target: '',
        pass: null,
      },
    ],
    checks: [allAnswered('Fastify', results.fastify!), allAnswered('floor', results.floor!)],
    figures: {
      connections: ctx.sizes.connections,
      rpsRatio,
      p99Ratio,
      fastify: fastifyFigures,
      floor: floorFigures,
    },
  }
}

/** The same silent login with few and with many people stored: how its cost grows with the tables. */
export async function loginScaling(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const small = apiEndpoint(ctx, ctx.small)
  const large = apiEndpoint(ctx, ctx.large)
  const { a: smallFigures, b: largeFigures, results } = await compare(ctx, small, large)
  const slower = 1 - largeFigures.rps / smallFigures.rps
  return {
    id: 'login-scaling',
    title: `silent login, ${fmt.count(ctx.large.population)} vs ${fmt.count(ctx.small.population)} stored`,
    rows: [
      {
        measured: `${fmt.rps(largeFigures.rps)} vs ${fmt.rps(smallFigures.rps)}: ${fmt.pct(-slower)}`,
        target: '≤ 10 % slower',
        pass: ctx.quick ? null : slower <= 0.1,
      },
      { measured: `p99 ${fmt.ms(largeFigures.p99)} vs ${fmt.ms(smallFigures.p99)}`, target: '', pass: null },
      {
        measured: `database CPU ${largeFigures.cpuMsPerLogin.database?.toFixed(2)} vs ${smallFigures.cpuMsPerLogin.database?.toFixed(2)} ms per login`,
        target: '',
        pass: null,
      },
      {
        measured: `buffer pool misses ${largeFigures.bufferPoolMissesPerLogin.toFixed(2)} vs ${smallFigures.bufferPoolMissesPerLogin.toFixed(2)} per login`,
        target: '',
        pass: null,
      },
    ],
    checks: [allAnswered(large.name, results[large.name]!), allAnswered(small.name, results[small.name]!)],
    figures: {
      connections: ctx.sizes.connections,
      slower,
      large: { population: ctx.large.population, ...largeFigures },
      small: { population: ctx.small.population, ...smallFigures },
    },
  }
}
