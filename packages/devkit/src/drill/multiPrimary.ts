import { DEMO_APP } from '@yuyue/wechat-sandbox'
import mysql from 'mysql2/promise'
import { sandboxUrlOf, startApiInstance, waitApiInstance } from '../cluster/cluster'
import { type ClusterState, databaseUrlOf } from '../cluster/state'
import { DEMO_ADMIN } from '../demoData'
import { stopProcess } from '../processes'
import { post } from './http'
import { checkInvariants } from './invariants'

const day = (ahead: number) =>
  new Date(Date.now() + 8 * 3600_000 + ahead * 86_400_000).toISOString().slice(0, 10)

/**
 * SPEC §8 on the multi-primary topology: API instance i writes to Galera node i directly, and the
 * races that break invariants resting on locking reads are run across instances. Each check
 * reports what the clients were told against what the database holds.
 */
export async function multiPrimaryChecks(state: ClusterState, log: (line: string) => void, rounds: number) {
  // instance i on node i
  for (let index = 0; index < state.ports.apis.length; index++) {
    const entry = state.processes.find((p) => p.name === `api${index + 1}`)
    if (entry) await stopProcess(entry.pid, 20_000)
    await startApiInstance(state, index, databaseUrlOf(state, state.ports.nodes[index]!.mysql))
  }
  await Promise.all(state.ports.apis.map((_, index) => waitApiInstance(state, index)))
  const apis = state.ports.apis.map((port) => `http://127.0.0.1:${port}`)
  const api = (i: number) => apis[i % apis.length]!
  const sandbox = sandboxUrlOf(state)
  const admins = await Promise.all(
    apis.map(async (base) => String((await post(base, '/api/admin/auth/login', DEMO_ADMIN)).body.token)),
  )
  let sequence = 0
  const mobile = () => `16${String(++sequence).padStart(9, '0')}`

  async function person(i: number, number?: string) {
    const openid = `mp-${++sequence}`
    const code = await post(sandbox, '/__sandbox/login-code', { appId: DEMO_APP.appId, openid })
    const login = await post(api(i), '/api/auth/wx-login', { code: code.body.code, appId: DEMO_APP.appId })
    const token = String(login.body.token)
    if (!number) return { openid, token, userId: Number((login.body.user as { id: number }).id) }
    const phoneCode = await post(sandbox, '/__sandbox/phone-code', {
      appId: DEMO_APP.appId,
      openid,
      phoneNumber: number,
    })
    const bound = await post(api(i), '/api/auth/phone', { code: phoneCode.body.code }, token)
    return {
      openid,
      token: String(bound.body.token ?? token),
      userId: Number((login.body.user as { id: number }).id),
    }
  }

  const pool = mysql.createPool({
    uri: databaseUrlOf(state, state.ports.nodes[0]!.mysql),
    connectionLimit: 2,
  })
  const count = async (sql: string, values: unknown[] = []) => {
    const [rows] = await pool.query(sql, values)
    return Number((rows as { n: number }[])[0]?.n ?? 0)
  }

  /**
   * `slotCount` slots (at most 20) booked by every booker, every booking accepting the `cancelled`
   * notice; the slots withdrawn at once on three instances: each notice must reach WeChat exactly
   * once. More notices than one instance claims at a time (4 × 50), sent slowly, so the three
   * instances' claims run side by side on their three nodes.
   */
  async function noticesRace(slotCount: number) {
    const people = bookers
    const created = await post(
      api(0),
      '/api/admin/slots',
      {
        from: day(3),
        to: day(3),
        times: Array.from({ length: Math.min(slotCount, 20) }, (_, k) => ({
          start: `${String(k).padStart(2, '0')}:00`,
          end: `${String(k).padStart(2, '0')}:20`,
        })),
        capacity: people.length,
        title: 'notices',
      },
      admins[0],
    )
    const slotIds = ((created.body.items as { id: number }[] | undefined) ?? []).map((s) => s.id)
    await post(sandbox, '/__sandbox/subscriptions/batch', {
      appId: DEMO_APP.appId,
      // one tap per booking: each accept allows one message
      grants: people.flatMap((p) =>
        slotIds.map(() => ({ openid: p.openid, templateIds: ['tmplYuyueCancelled'] })),
      ),
    })
    let accepted = 0
    for (const slotId of slotIds) {
      await Promise.all(
        people.map(async (p, i) => {
          const booked = await post(api(i), '/api/bookings', { slotId }, p.token)
          const id = (booked.body.booking as { id: number } | undefined)?.id
          if (!id) return
          const reply = await post(
            api(i),
            `/api/bookings/${id}/subscriptions`,
            { accepted: ['cancelled'] },
            p.token,
          )
          if (reply.status === 200) accepted++
        }),
      )
    }
    const before = await sentMessages()
    await post(sandbox, '/__sandbox/faults', {
      path: '/cgi-bin/message/subscribe/send',
      delayMs: 1000,
      times: accepted,
    })
    await Promise.all(
      slotIds.map((id, k) =>
        post(api(k), `/api/admin/slots/${id}/cancel`, { reason: '演练' }, admins[k % admins.length]),
      ),
    )
    const settled = () =>
      count(
        `SELECT COUNT(*) AS n FROM subscribe_deliveries d JOIN bookings b ON b.id = d.booking_id
         WHERE b.slot_id IN (?) AND d.kind = 'cancelled' AND d.state IN ('sent', 'failed', 'unknown')`,
        [slotIds],
      )
    const deadline = Date.now() + 120_000
    while ((await settled()) < accepted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500))
    await post(sandbox, '/__sandbox/faults', {}, undefined, 'DELETE')
    const sent = (await sentMessages()).slice(before.length)
    const perBooking = new Map<string, number>()
    for (const m of sent) {
      const key = `${m.touser}|${m.page}`
      perBooking.set(key, (perBooking.get(key) ?? 0) + 1)
    }
    const [claimers] = await pool.query(
      `SELECT COUNT(DISTINCT SUBSTRING_INDEX(claimed_by, '#', 1)) AS n FROM subscribe_deliveries d
       JOIN bookings b ON b.id = d.booking_id WHERE b.slot_id IN (?) AND d.kind = 'cancelled'`,
      [slotIds],
    )
    return {
      accepted,
      recordedSent: await count(
        `SELECT COUNT(*) AS n FROM subscribe_deliveries d JOIN bookings b ON b.id = d.booking_id
         WHERE b.slot_id IN (?) AND d.kind = 'cancelled' AND d.state = 'sent'`,
        [slotIds],
      ),
      reachedWechat: sent.length,
      sentTwice: [...perBooking.values()].filter((n) => n > 1).length,
      instancesClaiming: Number((claimers as { n: number }[])[0]?.n ?? 0),
    }
  }

  async function sentMessages(): Promise<{ touser: string; page: string | null }[]> {
    const response = await fetch(`${sandbox}/__sandbox/messages`)
    return ((await response.json()) as { messages: { touser: string; page: string | null }[] }).messages
  }

  // 1. capacity and false successes: 60 people on 10 places, spread over the three nodes
  log('multi-primary: bookings racing across nodes')
  const bookers: Awaited<ReturnType<typeof person>>[] = []
  for (let i = 0; i < 60; i++) bookers.push(await person(i, mobile()))
  let answered = 0
  let stored = 0
  let over = 0
  const bookingStatuses: Record<string, number> = {}
  for (let round = 0; round < rounds; round++) {
    const created = await post(
      api(0),
      '/api/admin/slots',
      {
        from: day(4),
        to: day(4),
        times: [
          {
            start: `${String(round % 24).padStart(2, '0')}:00`,
            end: `${String(round % 24).padStart(2, '0')}:30`,
          },
        ],
        capacity: 10,
        title: `mp ${round}`,
      },
      admins[0],
    )
    const slotId = (created.body.items as { id: number }[] | undefined)?.[0]?.id
    if (!slotId) continue
    const replies = await Promise.all(
      bookers.map((b, i) => post(api(i), '/api/bookings', { slotId }, b.token)),
    )
    for (const r of replies) bookingStatuses[r.status] = (bookingStatuses[r.status] ?? 0) + 1
    const ok = replies.filter((r) => r.status === 200).length
    const rows = await count(
      "SELECT COUNT(*) AS n FROM bookings WHERE slot_id = ? AND status <> 'cancelled'",
      [slotId],
    )
    answered += ok
    stored += rows
    over += Math.max(0, rows - 10)
  }

  // 2. the staff rule: a number imported on one node while its person binds it on another
  log('multi-primary: staff import racing phone binding')
  let staffRaces = 0
  for (let round = 0; round < rounds; round++) {
    const number = mobile()
    const openid = `mp-${++sequence}`
    const code = await post(sandbox, '/__sandbox/login-code', { appId: DEMO_APP.appId, openid })
    const login = await post(api(1), '/api/auth/wx-login', { code: code.body.code, appId: DEMO_APP.appId })
    const phoneCode = await post(sandbox, '/__sandbox/phone-code', {
      appId: DEMO_APP.appId,
      openid,
      phoneNumber: number,
    })
    await Promise.all([
      post(api(0), '/api/admin/staff/import', { rows: [{ mobile: number }] }, admins[0]),
      post(api(1), '/api/auth/phone', { code: phoneCode.body.code }, String(login.body.token)),
    ])
    staffRaces++
  }

  // 3. overlapping slots: two admins on two nodes create the same slot at once
  log('multi-primary: two admins creating one slot')
  let bothAnswered200 = 0
  for (let round = 0; round < rounds; round++) {
    const hour = String(round % 24).padStart(2, '0')
    const body = {
      from: day(5),
      to: day(5),
      times: [{ start: `${hour}:10`, end: `${hour}:50` }],
      capacity: 5,
      title: `overlap ${round}`,
    }
    const [a, b] = await Promise.all([
      post(api(0), '/api/admin/slots', body, admins[0]),
      post(api(1), '/api/admin/slots', body, admins[1]),
    ])
    if (a.status === 200 && b.status === 200) bothAnswered200++
  }

  // 4. one person per openid: the same first login on three nodes at once
  log('multi-primary: one openid logging in on three nodes')
  let splitPeople = 0
  for (let round = 0; round < rounds; round++) {
    const openid = `mp-same-${++sequence}`
    const codes = await Promise.all(
      apis.map(() => post(sandbox, '/__sandbox/login-code', { appId: DEMO_APP.appId, openid })),
    )
    const logins = await Promise.all(
      codes.map((c, i) => post(api(i), '/api/auth/wx-login', { code: c.body.code, appId: DEMO_APP.appId })),
    )
    const ids = new Set(logins.filter((l) => l.status === 200).map((l) => (l.body.user as { id: number }).id))
    if (ids.size > 1) splitPeople++
  }

  // 5. a large staff import on one node while people log in on the others
  log('multi-primary: 5 000-row staff import beside logins on other nodes')
  const importRows = Array.from({ length: 5000 }, () => ({ mobile: mobile() }))
  const loginsMeanwhile = Promise.all(Array.from({ length: 60 }, (_, i) => person(1 + (i % 2), mobile())))
  const importReply = await post(api(0), '/api/admin/staff/import', { rows: importRows }, admins[0])
  await loginsMeanwhile

  // 6. the per-day limit: one person booking nine slots of one day on the three nodes at once
  log('multi-primary: one person booking nine slots of a day, limit 2')
  const rules = { bookingWindowDays: 7, cancelCutoffMinutes: 0, checkInOpensMinutesBefore: 30 }
  await post(api(0), '/api/admin/settings', { ...rules, maxActivePerDay: 2 }, admins[0], 'PUT')
  const limited = await post(
    api(0),
    '/api/admin/slots',
    {
      from: day(6),
      to: day(6),
      times: Array.from({ length: 9 }, (_, h) => ({ start: `${10 + h}:00`, end: `${10 + h}:30` })),
      capacity: 100,
      title: 'daily limit',
    },
    admins[0],
  )
  const limitedSlots = ((limited.body.items as { id: number }[] | undefined) ?? []).map((s) => s.id)
  let overLimit = 0
  let limitAnswered = 0
  for (let round = 0; round < rounds && limitedSlots.length > 0; round++) {
    const booker = await person(round, mobile())
    const replies = await Promise.all(
      limitedSlots.map((slotId, i) => post(api(i), '/api/bookings', { slotId }, booker.token)),
    )
    limitAnswered += replies.filter((r) => r.status === 200).length
    const held = await count(
      "SELECT COUNT(*) AS n FROM bookings WHERE user_id = ? AND status <> 'cancelled' AND slot_id IN (?)",
      [booker.userId, limitedSlots],
    )
    if (held > 2) overLimit++
  }
  await post(api(0), '/api/admin/settings', { ...rules, maxActivePerDay: 0 }, admins[0], 'PUT')

  // 7. subscribe messages: notices falling due at once, claimed by the three instances on three
  // nodes; WeChat answers slowly, so each instance's claims overlap the others'
  log('multi-primary: cancel notices claimed on three nodes at once')
  const notices = await noticesRace(rounds)

  const invariants = await checkInvariants(pool)
  await pool.end()
  return {
    bookings: {
      rounds,
      people: bookers.length,
      capacity: 10,
      answered,
      stored,
      falseSuccesses: answered - stored,
      overCapacity: over,
      statuses: bookingStatuses,
    },
    staffRule: { races: staffRaces, broken: invariants.staffRule },
    overlappingSlots: { pairs: rounds, bothAnswered200, stored: invariants.overlappingSlots },
    onePersonPerOpenid: { races: rounds, split: splitPeople, stored: invariants.onePersonPerOpenid },
    staffImportBesideLogins: {
      status: importReply.status,
      code: (importReply.body.error as { code?: string } | undefined)?.code ?? null,
    },
    notices,
    dailyLimit: {
      people: rounds,
      slots: limitedSlots.length,
      limit: 2,
      answered200: limitAnswered,
      overLimit,
    },
    invariants,
  }
}
