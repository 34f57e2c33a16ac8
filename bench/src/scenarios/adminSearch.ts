import type { RowDataPacket } from 'mysql2/promise'
import { adminToken, type BenchContext, callApi, watched } from '../context'
import { runLoad, serverErrors } from '../load'
import { hash, mobileOf, nicknameOf, randomPerson, randomPersonWithPhone } from '../people'
import { type Check, fmt, type ScenarioReport } from '../report'
import { alternated, medianOfRounds, roundFigures, roundsNote } from '../rounds'

/** Connections of the second measurement, nearer the handful of admins a dashboard has. */
const LIGHT_CONNECTIONS = 4

type Kind = 'phone' | 'prefix' | 'nickname'
interface Query {
  kind: Kind
  q: string
}

function nicknamePrefix(population: number): string {
  for (;;) {
    const nickname = nicknameOf(randomPerson(population))
    if (!nickname) continue
    // a Chinese name is looked up by its first two characters (surname + first given character);
    // a Latin nickname ("Lucky123") is typed whole
    return /^[\u4e00-\u9fff]/.test(nickname) ? [...nickname].slice(0, 2).join('') : nickname
  }
}

/** What admins type into the search box: a whole number, the start of one (5 to 8 digits), a name. */
function makeQuery(kind: Kind, population: number): Query {
  if (kind === 'nickname') return { kind, q: nicknamePrefix(population) }
  const n = randomPersonWithPhone(population)
  const mobile = mobileOf(n)!
  return { kind, q: kind === 'phone' ? mobile : mobile.slice(0, 5 + (hash(n, 3) % 4)) }
}

/**
 * How many people `q` should find, counted straight from the table by the search's rule
 * (apps/api `phoneInQuery`, `peopleSearch`): a nickname holding `q` (from its start for one
 * character), and a whole number, or a number starting or ending with the digits. The API's
 * answer is checked against it.
 */
async function expectedTotal(ctx: BenchContext, query: Query): Promise<number> {
  const escaped = query.q.replace(/[\\%_]/g, (c) => `\\${c}`)
  const nickname = [...query.q].length >= 2 ? `%${escaped}%` : `${escaped}%`
  const [[row]] =
    query.kind === 'phone'
      ? await ctx.large.db.query<RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM users WHERE nickname LIKE ? OR (country_code = '86' AND mobile = ?)`,
          [nickname, query.q],
        )
      : await ctx.large.db.query<RowDataPacket[]>(
          `SELECT COUNT(*) AS n FROM users WHERE nickname LIKE ?
             OR (? REGEXP '^[0-9]{3,}$' AND (mobile LIKE ? OR mobile_reversed LIKE ?))`,
          [nickname, query.q, `${query.q}%`, `${[...query.q].reverse().join('')}%`],
        )
  return Number(row?.n)
}

/** The floor's answer for `q`: its status, total and number of rows. */
async function floorSearch(
  ctx: BenchContext,
  token: string,
  q: string,
): Promise<{ status: number; total?: number; items?: number }> {
  const response = await fetch(`${ctx.floor.url}/search?q=${encodeURIComponent(q)}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const body = (await response.json()) as { total?: number; items?: unknown[] }
  return { status: response.status, total: body.total, items: body.items?.length }
}

const search = (token: string, q: string) => ({
  method: 'GET' as const,
  path: `/api/admin/users?q=${encodeURIComponent(q)}&page=1&pageSize=20`,
  headers: { authorization: `Bearer ${token}` },
})

/**
 * The dashboard's user search over every stored person: `q` is a whole phone number, the start of
 * one, or a nickname, one third each. Broad queries (a lone surname, three digits) match tens of
 * thousands of people; they are measured apart, for information.
 */
export async function adminSearch(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const population = ctx.large.population
  const token = await adminToken(ctx, ctx.large)
  const kinds: Kind[] = ['phone', 'prefix', 'nickname']
  const queries = Array.from({ length: 3000 }, (_, i) => makeQuery(kinds[i % 3]!, population))

  // correctness first: the API's and the floor's totals against the table's own count
  const checks: Check[] = []
  const samples = queries.slice(0, 15)
  let agreeing = 0
  const disagreements: string[] = []
  for (const query of samples) {
    const answer = await callApi<{ total: number; items: unknown[] }>(
      ctx.large,
      'GET',
      search(token, query.q).path,
      {
        token,
      },
    )
    const floorAnswer = await floorSearch(ctx, token, query.q)
    const expected = await expectedTotal(ctx, query)
    const rows = Math.min(20, expected)
    if (
      answer.total === expected &&
      answer.items.length === rows &&
      floorAnswer.status === 200 &&
      floorAnswer.total === expected &&
      floorAnswer.items === rows
    )
      agreeing++
    else disagreements.push(`${query.q}: ${answer.total} (floor ${floorAnswer.total}) vs ${expected}`)
  }
  checks.push({
    what: 'totals agree with the table (API and floor)',
    ok: agreeing === samples.length,
    detail: disagreements.length ? disagreements.slice(0, 3).join('; ') : `${samples.length} queries`,
  })
  // the floor does the guard's work too: a token it cannot verify is refused
  const forged = await floorSearch(ctx, `${token.slice(0, -2)}AA`, samples[0]!.q)
  checks.push({
    what: "the floor checks the admin's token",
    ok: forged.status === 401,
    detail: `a forged signature answered ${forged.status}`,
  })

  let index = 0
  const searchLoad = (connections: number) =>
    runLoad({
      baseUrl: ctx.large.stack.apiUrl,
      connections,
      durationSeconds: ctx.sizes.searchSeconds,
      watch: watched(ctx, ctx.large),
      next: () => {
        const query = queries[index++ % queries.length]!
        return { ...search(token, query.q), kind: query.kind }
      },
    })
  // the floor: the same token check, admin read and statement for the same queries, bare node:http
  let floorIndex = 0
  const floorLoad = () =>
    runLoad({
      baseUrl: ctx.floor.url,
      connections: ctx.sizes.connections,
      durationSeconds: ctx.sizes.searchSeconds,
      watch: { server: ctx.floor.pid, database: ctx.databasePid },
      next: () => ({
        method: 'GET',
        path: `/search?q=${encodeURIComponent(queries[floorIndex++ % queries.length]!.q)}`,
        headers: { authorization: `Bearer ${token}` },
      }),
    })
  const [apiRounds, floorRounds] = await alternated(
    ctx.sizes.rounds,
    () => searchLoad(ctx.sizes.connections),
    floorLoad,
  )
  const result = medianOfRounds(apiRounds)
  const floor = medianOfRounds(floorRounds)
  const light = await searchLoad(LIGHT_CONNECTIONS)
  const broadQueries = ['王', '李', '138', '186']
  let broadIndex = 0
  const broad = await runLoad({
    baseUrl: ctx.large.stack.apiUrl,
    connections: ctx.sizes.connections,
    durationSeconds: Math.max(2, ctx.sizes.searchSeconds / 2),
    next: () => search(token, broadQueries[broadIndex++ % broadQueries.length]!),
  })
  const runs = [result, light, broad, floor]
  const ok = runs.reduce((sum, r) => sum + (r.statuses['200'] ?? 0), 0)
  const requests = runs.reduce((sum, r) => sum + r.requests, 0)
  checks.push({
    what: 'every search answered 200',
    ok: ok === requests && runs.every((r) => r.errors === 0),
    detail: `${fmt.count(ok)} of ${fmt.count(requests)}, ${runs.reduce((sum, r) => sum + serverErrors(r), 0)} 5xx`,
  })

  const p95 = result.latency.p95
  const byKind = kinds.map((kind) => `${kind} ${fmt.ms(result.byKind[kind]?.p95 ?? Number.NaN)}`).join(', ')
  return {
    id: 'admin-search',
    title: `admin user search, ${fmt.count(population)} people`,
    rows: [
      {
        measured: `p95 ${fmt.ms(p95)} (${byKind}), ${fmt.rps(result.rps)}${roundsNote(
          apiRounds.map((r) => r.latency.p95),
          fmt.ms,
        )}`,
        target: '',
        pass: null,
      },
      {
        measured: `API ${fmt.ratio(p95 / floor.latency.p95)} the floor's p95 (the same statement, node:http: p95 ${fmt.ms(floor.latency.p95)} at ${ctx.sizes.connections} connections, ${fmt.rps(floor.rps)})`,
        target: '≤ 1.5× floor p95',
        pass: ctx.quick ? null : p95 / floor.latency.p95 <= 1.5,
      },
      {
        measured: `p95 ${fmt.ms(light.latency.p95)} at ${LIGHT_CONNECTIONS} connections (${fmt.rps(light.rps)})`,
        target: '',
        pass: null,
      },
      {
        measured: `broad q (${broadQueries.join(' ')}): p95 ${fmt.ms(broad.latency.p95)}, ${fmt.rps(broad.rps)}`,
        target: '',
        pass: null,
      },
    ],
    checks,
    figures: {
      population,
      connections: ctx.sizes.connections,
      rps: result.rps,
      latency: result.latency,
      byKind: result.byKind,
      cpuMsPerRequest: result.cpuMsPerRequest,
      light: { connections: LIGHT_CONNECTIONS, rps: light.rps, latency: light.latency, byKind: light.byKind },
      broad: { queries: broadQueries, rps: broad.rps, latency: broad.latency },
      floor: {
        rps: floor.rps,
        latency: floor.latency,
        cpuMsPerRequest: floor.cpuMsPerRequest,
        rounds: roundFigures(floorRounds),
      },
      statuses: result.statuses,
      rounds: roundFigures(apiRounds),
    },
  }
}
