import type { RowDataPacket } from 'mysql2/promise'
import { type BenchContext, logIn, type Target, watched } from '../context'
import { runLoad, serverErrors } from '../load'
import { BINDING_PREFIX, newcomerOpenidOf } from '../people'
import { fmt, type ScenarioReport } from '../report'

const TOKEN_PATH = '/cgi-bin/stable_token'

/**
 * People who have never logged in open the mini-program (first silent login: the person is
 * created), then tap 快捷登录: `POST /api/auth/phone` with a getPhoneNumber code issued for their
 * own openid. However many bind at once, the API must fetch WeChat's access token exactly once.
 */
export async function phoneBinding(
  ctx: BenchContext,
  target: Target = ctx.large,
): Promise<Omit<ScenarioReport, 'seconds'>> {
  const count = ctx.sizes.bindings
  const first = ctx.newcomers(count)
  const people = Array.from({ length: count }, (_, i) => first + i)
  const openids = people.map(newcomerOpenidOf)
  const numbers = people.map((k) => `${BINDING_PREFIX}${String(k).padStart(8, '0')}`)

  const firstLogins = await logIn(target, openids, ctx.sizes.connections)
  const codes = await target.sandbox.phoneCodes(
    numbers.map((phoneNumber, i) => ({ phoneNumber, openid: openids[i]! })),
  )
  const fetchesBefore = (await target.sandbox.stats()).calls[TOKEN_PATH]

  let index = 0
  const result = await runLoad({
    baseUrl: target.stack.apiUrl,
    connections: ctx.sizes.connections,
    amount: count,
    watch: watched(ctx, target),
    next: () => {
      const at = index++
      return {
        method: 'POST',
        path: '/api/auth/phone',
        headers: { authorization: `Bearer ${firstLogins.tokens[at]}` },
        body: { code: codes[at] },
      }
    },
  })
  const stats = await target.sandbox.stats()
  const fetches = stats.calls[TOKEN_PATH] - fetchesBefore

  const [[bound]] = await target.db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM users WHERE country_code = '86' AND mobile >= ? AND mobile <= ?`,
    [numbers[0], numbers.at(-1)],
  )
  const ok = result.statuses['200'] ?? 0
  return {
    id: target === ctx.large ? 'phone-binding' : `phone-binding-${target.name}`,
    title: `phone binding, ${fmt.count(count)} people${target === ctx.large ? '' : ` (${target.name})`}`,
    rows: [
      {
        measured: `${fmt.rps(result.rps)}, p50 ${fmt.ms(result.latency.p50)}, p99 ${fmt.ms(result.latency.p99)}`,
        target: 'req/s reported',
        pass: null,
      },
      {
        measured: `their first logins (people created): ${fmt.rps(firstLogins.rps)}`,
        target: '',
        pass: null,
      },
    ],
    checks: [
      {
        what: `access-token fetches: ${fetches}`,
        ok: fetches === 1 && fetchesBefore === 0,
        detail: `sandbox ${TOKEN_PATH} calls, ${fetchesBefore} before`,
        target: 'exactly 1',
      },
      {
        what: 'every first login and binding answered 200',
        ok: firstLogins.failures === 0 && ok === count && result.errors === 0,
        detail: `${fmt.count(ok)} of ${fmt.count(count)}, ${serverErrors(result)} 5xx`,
      },
      {
        what: 'the numbers are bound in the database',
        ok: Number(bound?.n) === count,
        detail: `${fmt.count(Number(bound?.n))} of ${fmt.count(count)}`,
      },
    ],
    figures: {
      count,
      connections: ctx.sizes.connections,
      rps: result.rps,
      latency: result.latency,
      statuses: result.statuses,
      cpuMsPerRequest: result.cpuMsPerRequest,
      firstLoginRps: firstLogins.rps,
      tokenFetches: fetches,
      getPhoneNumberCalls: stats.calls['/wxa/business/getuserphonenumber'],
    },
  }
}
