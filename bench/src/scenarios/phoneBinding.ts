import type { RowDataPacket } from 'mysql2/promise'
import { type BenchContext, logIn, type Target, watched } from '../context'
import { type LoadResult, runLoad, serverErrors } from '../load'
import { BINDING_PREFIX, newcomerOpenidOf } from '../people'
import { fmt, type Row, type ScenarioReport } from '../report'
import { alternated, medianOfRounds, roundFigures, roundsNote } from '../rounds'

const TOKEN_PATH = '/cgi-bin/stable_token'

interface Binder {
  openid: string
  phoneNumber: string
  token: string
  code: string
}

/** One round of bindings, one request per binder, through the API's route or the floor's. */
function bindRound(
  url: string,
  binders: Binder[],
  connections: number,
  watch: Record<string, number | undefined>,
  floor: boolean,
): Promise<LoadResult> {
  let index = 0
  return runLoad({
    baseUrl: url,
    connections,
    amount: binders.length,
    watch,
    next: () => {
      const binder = binders[index++]!
      return {
        method: 'POST',
        path: floor ? '/bind' : '/api/auth/phone',
        headers: { authorization: `Bearer ${binder.token}` },
        // the floor reads no identity, so it is told the openid WeChat checks the code against
        body: floor ? { code: binder.code, openid: binder.openid } : { code: binder.code },
      }
    },
  })
}

const allOk = (rounds: LoadResult[], expected: number) =>
  rounds.reduce((sum, r) => sum + (r.statuses['200'] ?? 0), 0) === expected &&
  rounds.every((r) => r.errors === 0)

/**
 * People who have never logged in open the mini-program (first silent login: the person is
 * created), then tap 快捷登录: `POST /api/auth/phone` with a getPhoneNumber code issued for their
 * own openid. On the large API it is measured against the floor's binding (the same WeChat round
 * trips and one write) in alternated rounds, each side binding its own people. However many bind
 * at once, the API must fetch WeChat's access token exactly once.
 */
export async function phoneBinding(
  ctx: BenchContext,
  target: Target = ctx.large,
): Promise<Omit<ScenarioReport, 'seconds'>> {
  const withFloor = target === ctx.large
  const rounds = withFloor ? ctx.sizes.rounds : 1
  const perRound = Math.ceil(ctx.sizes.bindings / rounds)
  const sides = withFloor ? 2 : 1
  const total = perRound * rounds * sides
  const first = ctx.newcomers(total)
  const people = Array.from({ length: total }, (_, i) => first + i)
  const openids = people.map(newcomerOpenidOf)
  const numbers = people.map((k) => `${BINDING_PREFIX}${String(k).padStart(8, '0')}`)

  const firstLogins = await logIn(target, openids, ctx.sizes.connections)
  const codes = await target.sandbox.phoneCodes(
    numbers.map((phoneNumber, i) => ({ phoneNumber, openid: openids[i]! })),
  )
  const binders: Binder[] = people.map((_, i) => ({
    openid: openids[i]!,
    phoneNumber: numbers[i]!,
    token: firstLogins.tokens[i]!,
    code: codes[i]!,
  }))
  /** side 0 is the API's, side 1 the floor's: each round binds people of its own */
  const batch = (side: number, round: number) => {
    const start = (round * sides + side) * perRound
    return binders.slice(start, start + perRound)
  }

  const fetchesOf = async () => (await target.sandbox.stats()).calls[TOKEN_PATH] ?? 0
  let apiFetches = 0
  const apiRound = async (round: number) => {
    const before = await fetchesOf()
    const result = await bindRound(
      target.stack.apiUrl,
      batch(0, round),
      ctx.sizes.connections,
      watched(ctx, target),
      false,
    )
    apiFetches += (await fetchesOf()) - before
    ctx.log(`  API round ${round + 1}: ${fmt.rps(result.rps)}, p99 ${fmt.ms(result.latency.p99)}`)
    return result
  }
  const floorRound = async (round: number) => {
    const result = await bindRound(
      ctx.floor.url,
      batch(1, round),
      ctx.sizes.connections,
      { server: ctx.floor.pid, sandbox: target.sandboxPid, database: ctx.databasePid },
      true,
    )
    ctx.log(`  floor round ${round + 1}: ${fmt.rps(result.rps)}, p99 ${fmt.ms(result.latency.p99)}`)
    return result
  }
  const [apiRounds, floorRounds] = withFloor
    ? await alternated(rounds, apiRound, floorRound)
    : [[await apiRound(0)], [] as LoadResult[]]
  const api = medianOfRounds(apiRounds)
  const floor = floorRounds.length ? medianOfRounds(floorRounds) : null

  const [[bound]] = await target.db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM users WHERE country_code = '86' AND mobile >= ? AND mobile <= ?`,
    [numbers[0], numbers.at(-1)],
  )
  const apiBindings = perRound * rounds
  const ratio = floor ? api.rps / floor.rps : null
  const rows: Row[] = [
    {
      measured: `${fmt.rps(api.rps)}, p50 ${fmt.ms(api.latency.p50)}, p99 ${fmt.ms(api.latency.p99)}${roundsNote(
        apiRounds.map((r) => r.rps),
        fmt.rps,
      )}`,
      target: floor ? '' : 'req/s reported',
      pass: null,
    },
  ]
  if (floor && ratio !== null) {
    rows.push({
      measured: `API ${fmt.ratio(ratio)} the floor's req/s (the same WeChat round trips and one write: ${fmt.rps(floor.rps)}, p99 ${fmt.ms(floor.latency.p99)})`,
      target: '≥ 0.6× floor req/s',
      pass: ctx.quick ? null : ratio >= 0.6,
    })
  }
  rows.push({
    measured: `their first logins (people created): ${fmt.rps(firstLogins.rps)}`,
    target: '',
    pass: null,
  })
  return {
    id: target === ctx.large ? 'phone-binding' : `phone-binding-${target.name}`,
    title: `phone binding, ${fmt.count(apiBindings)} people${target === ctx.large ? '' : ` (${target.name})`}`,
    rows,
    checks: [
      {
        what: `access-token fetches by the API: ${apiFetches}`,
        ok: apiFetches === 1,
        detail: `sandbox ${TOKEN_PATH} calls during the API's rounds`,
        target: 'exactly 1',
      },
      {
        what: 'every first login and binding answered 200',
        ok: firstLogins.failures === 0 && allOk(apiRounds, apiBindings),
        detail: `${fmt.count(apiRounds.reduce((sum, r) => sum + (r.statuses['200'] ?? 0), 0))} of ${fmt.count(apiBindings)}, ${serverErrors(api)} 5xx`,
      },
      ...(floor
        ? [
            {
              what: 'floor: every binding answered 200',
              ok: allOk(floorRounds, apiBindings),
              detail: `${fmt.count(floorRounds.reduce((sum, r) => sum + (r.statuses['200'] ?? 0), 0))} of ${fmt.count(apiBindings)}`,
            },
          ]
        : []),
      {
        what: 'the numbers are bound in the database',
        ok: Number(bound?.n) === total,
        detail: `${fmt.count(Number(bound?.n))} of ${fmt.count(total)}`,
      },
    ],
    figures: {
      count: apiBindings,
      connections: ctx.sizes.connections,
      rps: api.rps,
      latency: api.latency,
      statuses: api.statuses,
      cpuMsPerRequest: api.cpuMsPerRequest,
      rounds: roundFigures(apiRounds),
      floor: floor && { rps: floor.rps, latency: floor.latency, rounds: roundFigures(floorRounds) },
      rpsRatio: ratio,
      firstLoginRps: firstLogins.rps,
      tokenFetches: apiFetches,
    },
  }
}
