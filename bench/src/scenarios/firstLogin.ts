import type { RowDataPacket } from 'mysql2/promise'
import type { BenchContext } from '../context'
import { newcomerOpenidOf } from '../people'
import { fmt, type ScenarioReport } from '../report'
import { allAnswered, apiEndpoint, compare, floorEndpoint, judgedAgainstFloor } from './login'

/** The openids of `amount` people no earlier login used, API's and floor's alike. */
const newcomers = (ctx: BenchContext) => (amount: number) => {
  const first = ctx.newcomers(amount)
  return Array.from({ length: amount }, (_, i) => newcomerOpenidOf(first + i))
}

async function highestIds(ctx: BenchContext): Promise<{ user: number; identity: number }> {
  const [[row]] = await ctx.large.db.query<RowDataPacket[]>(
    'SELECT (SELECT MAX(id) FROM users) AS user, (SELECT MAX(id) FROM wechat_identities) AS identity',
  )
  return { user: Number(row?.user ?? 0), identity: Number(row?.identity ?? 0) }
}

/**
 * Silent logins of people never seen, every one creating its person, with the large population
 * stored (a launch day: a QR poster, a class sign-up), against the floor's login upserting
 * never-seen openids into its table of as many people. Alternated rounds, medians judged; the
 * people created are counted in the database: one person and one identity per login.
 */
export async function firstLogin(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const population = ctx.large.population
  const before = await highestIds(ctx)
  const floor = floorEndpoint(ctx, 'floor', ctx.floor.url, newcomers(ctx))
  const api = apiEndpoint(ctx, ctx.large, newcomers(ctx))
  const { a: floorFigures, b: apiFigures, results } = await compare(ctx, floor, api)

  const [[created]] = await ctx.large.db.query<RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM users WHERE id > ?) AS people,
       (SELECT COUNT(*) FROM wechat_identities WHERE id > ?) AS identities,
       (SELECT COUNT(DISTINCT user_id) FROM wechat_identities WHERE id > ?) AS owners`,
    [before.user, before.identity, before.identity],
  )
  const logins = ctx.sizes.warmupRequests + ctx.sizes.loginRequests * ctx.sizes.rounds
  const people = Number(created?.people)
  const identities = Number(created?.identities)
  const owners = Number(created?.owners)

  const { rows, rpsRatio, p99Ratio } = judgedAgainstFloor(ctx, apiFigures, floorFigures, 0.6)
  return {
    id: 'first-login',
    title: `first login of new people, ${fmt.count(population)} stored`,
    rows,
    checks: [
      allAnswered('API', results[api.name]!),
      allAnswered('floor', results.floor!),
      {
        what: 'one person and one identity stored per first login',
        ok: people === logins && identities === logins && owners === logins,
        detail: `${fmt.count(people)} people, ${fmt.count(identities)} identities of ${fmt.count(owners)} people, for ${fmt.count(logins)} logins`,
        target: 'exactly one each',
      },
    ],
    figures: {
      population,
      connections: ctx.sizes.connections,
      rpsRatio,
      p99Ratio,
      created: { logins, people, identities, owners },
      api: apiFigures,
      floor: floorFigures,
    },
  }
}
