import { setTimeout as sleep } from 'node:timers/promises'
import { LOCAL_SUBSCRIBE_TEMPLATES } from '@yuyue/devkit'
import type { RowDataPacket } from 'mysql2/promise'
import { adminToken, type BenchContext, type Session, type Target, watched } from '../context'
import { type LoadResult, runLoad, serverErrors } from '../load'
import { openidOf } from '../people'
import { fmt, type ScenarioReport } from '../report'
import { createSlots } from './bookingStorm'

/** The reminder template the bench's stacks offer (devkit's local templates). */
const REMINDER_TEMPLATE = LOCAL_SUBSCRIBE_TEMPLATES.api.split(',')[0]!.split(':')[1]!
/** How long the sends may take before the scenario stops waiting (the target is 60 s). */
const GIVE_UP_MS = 180_000

const BOOKINGS_PER_LOAD = 2000
/** Slots booked by the load: people spread over several, as on a real day (one would serialise them). */
const SLOTS_PER_LOAD = 10

/** `count` half-hour slots from `fromMinute` of the day. */
function halfHours(fromMinute: number, count: number) {
  const at = (minute: number) =>
    `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
  return Array.from({ length: count }, (_, i) => ({
    start: at(fromMinute + 30 * i),
    end: at(fromMinute + 30 * (i + 1)),
  }))
}

/** Every session books one of `slotIds` once, at the scenario's connections. */
function bookings(
  ctx: BenchContext,
  target: Target,
  sessions: Session[],
  slotIds: number[],
): Promise<LoadResult> {
  let index = 0
  return runLoad({
    baseUrl: target.stack.apiUrl,
    connections: ctx.sizes.connections,
    amount: sessions.length,
    watch: watched(ctx, target),
    next: () => {
      const at = index++
      return {
        method: 'POST',
        path: '/api/bookings',
        headers: { authorization: `Bearer ${sessions[at]!.token}` },
        body: { slotId: slotIds[at % slotIds.length] },
      }
    },
  })
}

/**
 * `count` people (persons 1..count) booked on `slotId`, each owed a reminder far in the future,
 * each with one accept at the sandbox: the queue as booking taps would have left it.
 */
async function seedOwedReminders(target: Target, slotId: number, count: number): Promise<void> {
  const db = target.db
  for (let first = 1; first <= count; first += 5000) {
    const people = Array.from({ length: Math.min(5000, count - first + 1) }, (_, i) => first + i)
    await db.query('INSERT INTO bookings (slot_id, user_id) VALUES ?', [people.map((n) => [slotId, n])])
  }
  await db.query('UPDATE slots SET booked = ? WHERE id = ?', [count, slotId])
  await db.query(
    `INSERT INTO subscribe_deliveries (booking_id, kind, template_id, app_id, openid, due_at)
     SELECT id, 'reminder', ?, ?, CONCAT('obench', LPAD(user_id, 22, '0')), '2099-01-01'
     FROM bookings WHERE slot_id = ?`,
    [REMINDER_TEMPLATE, target.sandbox.appId, slotId],
  )
  const openids = Array.from({ length: count }, (_, i) => openidOf(i + 1))
  await target.sandbox.grantSubscriptions(openids, [REMINDER_TEMPLATE])
}

async function reminderStates(target: Target, slotId: number): Promise<Record<string, number>> {
  const [rows] = await target.db.query<RowDataPacket[]>(
    `SELECT d.state, COUNT(*) AS n FROM subscribe_deliveries d JOIN bookings b ON b.id = d.booking_id
     WHERE b.slot_id = ? GROUP BY d.state`,
    [slotId],
  )
  return Object.fromEntries(rows.map((r) => [String(r.state), Number(r.n)]))
}

/**
 * 10 000 reminders due at the same instant while people keep booking: how long until every one
 * is sent (each exactly once), and the booking p99 meanwhile against the same load without them.
 */
export async function reminders(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const count = ctx.sizes.reminders
  const target = ctx.large
  // the booking load: enough to run while the reminders go, not so long that it dwarfs them
  const sessions = (await ctx.sessions()).slice(0, BOOKINGS_PER_LOAD)
  const token = await adminToken(ctx, target)
  const slotIds = await createSlots(ctx, token, {
    day: ctx.freeDay(),
    times: halfHours(8 * 60, 2 * SLOTS_PER_LOAD + 1),
    capacity: Math.max(count, sessions.length),
    title: '提醒压测',
  })
  const remindedSlot = slotIds[0]
  const quietSlots = slotIds.slice(1, 1 + SLOTS_PER_LOAD)
  const busySlots = slotIds.slice(1 + SLOTS_PER_LOAD)
  await seedOwedReminders(target, remindedSlot!, count)
  const sendsBefore = (await target.sandbox.stats()).calls['/cgi-bin/message/subscribe/send'] ?? 0
  const messagesBefore = await target.sandbox.sentMessages()

  // the same booking load twice: once with the queue idle, once while it drains
  const quiet = await bookings(ctx, target, sessions, quietSlots)
  await target.db.query(
    `UPDATE subscribe_deliveries d JOIN bookings b ON b.id = d.booking_id
     SET d.due_at = UTC_TIMESTAMP(3) WHERE b.slot_id = ?`,
    [remindedSlot],
  )
  const dueAt = performance.now()
  const busyLoad = bookings(ctx, target, sessions, busySlots)
  let states = await reminderStates(target, remindedSlot!)
  while ((states.pending ?? 0) + (states.sending ?? 0) > 0 && performance.now() - dueAt < GIVE_UP_MS) {
    await sleep(100)
    states = await reminderStates(target, remindedSlot!)
  }
  const allSentMs = performance.now() - dueAt
  const busy = await busyLoad

  const sends = ((await target.sandbox.stats()).calls['/cgi-bin/message/subscribe/send'] ?? 0) - sendsBefore
  const after = await target.sandbox.sentMessages()
  const delivered = {
    messages: after.messages - messagesBefore.messages,
    people: after.people - messagesBefore.people,
  }
  const ratio = busy.latency.p99 / quiet.latency.p99
  const fivexx = serverErrors(quiet) + serverErrors(busy)
  return {
    id: 'reminders',
    title: `reminders, ${fmt.count(count)} due at once, bookings meanwhile`,
    rows: [
      {
        measured: `all ${fmt.count(count)} sent in ${(allSentMs / 1000).toFixed(1)} s (${fmt.rps((count * 1000) / allSentMs)} of sends)`,
        target: '≤ 60 s',
        pass: ctx.quick ? null : allSentMs <= 60_000,
      },
      {
        measured: `booking p99 ${fmt.ms(busy.latency.p99)} meanwhile vs ${fmt.ms(quiet.latency.p99)} without (${fmt.ratio(ratio)}; p50 ${fmt.ms(busy.latency.p50)} vs ${fmt.ms(quiet.latency.p50)}; the load ran ${(busy.durationMs / 1000).toFixed(1)} s)`,
        target: '≤ 1.5× without',
        pass: ctx.quick ? null : ratio <= 1.5,
      },
      {
        measured: `CPU ms per booking meanwhile: ${fmt.cpu(busy.cpuMsPerRequest)}; without: ${fmt.cpu(quiet.cpuMsPerRequest)}`,
        target: '',
        pass: null,
      },
    ],
    checks: [
      {
        what: `${fmt.count(states.sent ?? 0)} sent of ${fmt.count(count)}; ${sends} sends, ${fmt.count(delivered.people)} people`,
        ok:
          states.sent === count &&
          sends === count &&
          delivered.messages === count &&
          delivered.people === count,
        detail: JSON.stringify(states),
        target: 'each exactly once',
      },
      {
        what: `${fivexx} × 5xx, ${quiet.errors + busy.errors} connection errors, ${busy.requests + quiet.requests} bookings answered`,
        ok:
          fivexx === 0 &&
          quiet.errors + busy.errors === 0 &&
          quiet.statuses['200'] === sessions.length &&
          busy.statuses['200'] === sessions.length,
        target: 'every booking 200',
      },
    ],
    figures: {
      reminders: count,
      allSentMs,
      states,
      sends,
      bookings: sessions.length,
      quiet: { rps: quiet.rps, latency: quiet.latency, cpuMsPerRequest: quiet.cpuMsPerRequest },
      busy: {
        rps: busy.rps,
        latency: busy.latency,
        durationMs: busy.durationMs,
        cpuMsPerRequest: busy.cpuMsPerRequest,
      },
    },
  }
}
