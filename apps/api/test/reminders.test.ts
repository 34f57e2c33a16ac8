import { setTimeout as sleep } from 'node:timers/promises'
import type {
  AdminBookingsResponse,
  AdminStats,
  Booking,
  BookingResponse,
  MyBookingsResponse,
} from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { APP_ID, databaseUrl, type Harness, resetDatabase, startHarness } from './support/harness'
import { waitForLockWait } from './support/lockWait'
import { TcpProxy } from './support/tcpProxy'
import { createSlotsOn, personWithPhone, shanghaiNoon } from './support/venue'

const REMINDER = 'tmplReminder01'
const CANCELLED = 'tmplCancelled01'
const SEND = '/cgi-bin/message/subscribe/send'
const clock = testClock(shanghaiNoon())
let h: Harness
let admin: string
let phones = 0

beforeAll(async () => {
  h = await startHarness({
    now: clock.now,
    env: {
      WECHAT_TEMPLATES: `reminder:${REMINDER},cancelled:${CANCELLED}`,
      REMINDER_LEAD_MINUTES: '60',
    },
  })
})
afterAll(() => h.close())
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  h.sandbox.reset()
  h.sandbox.declareTemplate({ appId: APP_ID, templateId: REMINDER, keys: ['thing1', 'time2'] })
  h.sandbox.declareTemplate({ appId: APP_ID, templateId: CANCELLED, keys: ['thing1', 'time2', 'thing3'] })
  h.sandbox.declarePages({ appId: APP_ID, pages: ['pages/bookings/index', 'pages/home/index'] })
  admin = await adminToken(h.app)
})

/** A person with a phone who booked a 5-minute slot starting `minutesAhead` from now (test clock). */
async function bookedPerson(minutesAhead: number, title = '周末亲子瑜伽体验课') {
  const startsAt = new Date(clock.now().getTime() + minutesAhead * 60_000)
  const date = shanghaiDate(startsAt)
  const local = new Date(startsAt.getTime() + 8 * 3600_000).toISOString().slice(11, 16)
  const end = new Date(startsAt.getTime() + 8 * 3600_000 + 5 * 60_000).toISOString().slice(11, 16)
  const [slot] = await createSlotsOn(h, admin, date, [{ start: local, end }], { title })
  const person = await personWithPhone(h, `137${String(++phones).padStart(8, '0')}`)
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: person.auth(),
    payload: { slotId: slot!.id },
  })
  expect(response.statusCode, response.body).toBe(200)
  return { person, booking: response.json<BookingResponse>().booking, slot: slot! }
}

/** What WeChat's sheet answered: each accepted template is one message WeChat will take. */
async function subscribe(person: Person, bookingId: number, accepted: string[]) {
  for (const kind of accepted) {
    const templateId = kind === 'reminder' ? REMINDER : CANCELLED
    h.sandbox.grantSubscriptions({ appId: APP_ID, openid: person.openid, templateIds: [templateId] })
  }
  const response = await h.app.inject({
    method: 'POST',
    url: `/api/bookings/${bookingId}/subscriptions`,
    headers: person.auth(),
    payload: { accepted },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<BookingResponse>().booking
}

async function mine(person: Person): Promise<Booking> {
  const response = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
  return response.json<MyBookingsResponse>().items[0]!
}

const sentTo = (person: Person) => h.sandbox.sentMessages(person.openid).messages

async function deliveryStates(): Promise<{ id: number; kind: string; state: string; due: number }[]> {
  const [rows] = await h.app.db.execute(
    sql`SELECT id, kind, state, due_at IS NOT NULL AS due FROM subscribe_deliveries ORDER BY id`,
  )
  return rows as unknown as { id: number; kind: string; state: string; due: number }[]
}

describe('a reminder the person accepted', () => {
  it('is sent once, at the slot start minus the lead time, with the booking in it', async () => {
    const { person, booking } = await bookedPerson(
      24 * 60,
      '一节名字长到必须在微信提醒里截断的周末亲子瑜伽课',
    )
    expect(booking.reminder).toBe('none')

    expect((await subscribe(person, booking.id, ['reminder'])).reminder).toBe('pending')

    clock.advance(22 * 3600_000 + 59 * 60_000) // one minute before it is due
    await h.app.deliveries.runOnce()
    expect(sentTo(person)).toEqual([])

    clock.advance(60_000)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    await h.app.deliveries.runOnce()
    const startsAt = new Date(booking.slot.startsAt)
    const local = new Date(startsAt.getTime() + 8 * 3600_000)
    expect(sentTo(person)).toEqual([
      expect.objectContaining({
        templateId: REMINDER,
        page: `pages/bookings/index?id=${booking.id}`,
        data: {
          thing1: { value: '一节名字长到必须在微信提醒里截断的周末…' },
          time2: {
            value: `${local.getUTCFullYear()}年${local.getUTCMonth() + 1}月${local.getUTCDate()}日 ${local.toISOString().slice(11, 16)}`,
          },
        },
      }),
    ])
    expect((await mine(person)).reminder).toBe('sent')
    expect(h.sandbox.stats().calls[SEND]).toBe(1)
  })

  it('is due at once when the booking comes later than the lead time, and none within 10 minutes', async () => {
    const soon = await bookedPerson(30)
    expect((await subscribe(soon.person, soon.booking.id, ['reminder'])).reminder).toBe('pending')
    const imminent = await bookedPerson(9)
    expect((await subscribe(imminent.person, imminent.booking.id, ['reminder'])).reminder).toBe('none')

    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    expect(sentTo(soon.person)).toHaveLength(1)
    expect(sentTo(imminent.person)).toEqual([])
  })

  it('is never sent when the person cancels first', async () => {
    const { person, booking } = await bookedPerson(30)
    await subscribe(person, booking.id, ['reminder', 'cancelled'])
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(cancel.json<BookingResponse>().booking.reminder).toBe('none')

    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 0 })
    expect(sentTo(person)).toEqual([])
    expect(h.sandbox.stats().calls[SEND] ?? 0).toBe(0)
  })

  it('is failed with the errcode when WeChat has no accept for it (43101), and never resent', async () => {
    const { person, booking } = await bookedPerson(30)
    // the app reports an accept WeChat never recorded
    await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/subscriptions`,
      headers: person.auth(),
      payload: { accepted: ['reminder'] },
    })

    expect(await h.app.deliveries.runOnce()).toMatchObject({ failed: 1 })
    clock.advance(3600_000)
    await h.app.deliveries.runOnce()
    expect(h.sandbox.stats().calls[SEND]).toBe(1)
    expect((await mine(person)).reminder).toBe('failed')
    const listed = await h.app.inject({ method: 'GET', url: '/api/admin/bookings', headers: bearer(admin) })
    expect(listed.json<AdminBookingsResponse>().items[0]).toMatchObject({
      reminder: 'failed',
      reminderErrcode: 43101,
    })
  })

  it('is tried again later when WeChat answers busy (-1), then sent once', async () => {
    const { person, booking } = await bookedPerson(30)
    await subscribe(person, booking.id, ['reminder'])
    h.sandbox.addFault({ path: SEND, errcode: -1, times: 10 })

    expect(await h.app.deliveries.runOnce()).toMatchObject({ retried: 1, sent: 0 })
    expect((await mine(person)).reminder).toBe('pending')
    h.sandbox.clearFaults()
    await h.app.deliveries.runOnce()
    expect(sentTo(person)).toEqual([]) // not due again yet

    clock.advance(30_000)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    expect(sentTo(person)).toHaveLength(1)
    expect((await mine(person)).reminder).toBe('sent')
  })
})

describe('every booking answer', () => {
  it('carries the reminder state, also from a check-in and its undo', async () => {
    const { person, booking } = await bookedPerson(20)
    await subscribe(person, booking.id, ['reminder'])
    await h.app.deliveries.runOnce()
    const imported = await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows: [{ mobile: '13900000078', name: '值班员' }] },
    })
    expect(imported.statusCode, imported.body).toBe(200)
    const staff = await personWithPhone(h, '13900000078')
    for (const url of [
      `/api/staff/bookings/${booking.id}/check-in`,
      `/api/staff/bookings/${booking.id}/undo-check-in`,
    ]) {
      const response = await h.app.inject({ method: 'POST', url, headers: staff.auth() })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json<BookingResponse>().booking.reminder).toBe('sent')
    }
  })
})

describe('an erased account', () => {
  it('is never reminded, and its messages forget the openid they were for', async () => {
    const { person, booking } = await bookedPerson(24 * 60)
    await subscribe(person, booking.id, ['reminder', 'cancelled'])
    const erase = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: person.auth() })
    expect(erase.statusCode, erase.body).toBe(200)

    clock.advance(24 * 3600_000)
    await h.app.deliveries.runOnce()
    expect(h.sandbox.stats().calls[SEND] ?? 0).toBe(0)
    const [rows] = await h.app.db.execute(sql`SELECT state, openid FROM subscribe_deliveries`)
    expect(rows).toEqual([
      { state: 'cancelled', openid: '' },
      { state: 'cancelled', openid: '' },
    ])
  })
})

describe('a person who refuses', () => {
  it('books all the same and is sent nothing', async () => {
    const { person, booking } = await bookedPerson(24 * 60)
    expect((await subscribe(person, booking.id, [])).reminder).toBe('none')
    clock.advance(24 * 3600_000 - 10 * 60_000)
    await h.app.deliveries.runOnce()
    expect((await mine(person)).status).toBe('booked')
    expect(h.sandbox.stats().calls[SEND] ?? 0).toBe(0)
  })
})

describe('an admin cancel', () => {
  it('sends the accepted `cancelled` notice with the reason, and drops the reminder', async () => {
    const { person, booking } = await bookedPerson(24 * 60)
    await subscribe(person, booking.id, ['reminder', 'cancelled'])
    await h.app.deliveries.runOnce()
    expect(sentTo(person)).toEqual([]) // a notice is held until an admin cancels

    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/admin/bookings/${booking.id}/cancel`,
      headers: bearer(admin),
      payload: { reason: '场馆临时检修' },
    })
    expect(cancel.statusCode, cancel.body).toBe(200)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    clock.advance(24 * 3600_000)
    await h.app.deliveries.runOnce()

    expect(sentTo(person)).toEqual([
      expect.objectContaining({
        templateId: CANCELLED,
        page: `pages/bookings/index?id=${booking.id}`,
        data: expect.objectContaining({ thing3: { value: '场馆临时检修' } }),
      }),
    ])
    const stats = await h.app.inject({ method: 'GET', url: '/api/admin/stats', headers: bearer(admin) })
    expect(stats.json<AdminStats>().messages).toEqual({ pending: 0, sent: 1, failed: 0, unknown: 0 })
  })

  it('of a whole slot tells each person who accepted, in the same transaction as the cancel', async () => {
    const first = await bookedPerson(24 * 60)
    await subscribe(first.person, first.booking.id, ['cancelled'])
    const withdraw = await h.app.inject({
      method: 'POST',
      url: `/api/admin/slots/${first.slot.id}/cancel`,
      headers: bearer(admin),
      payload: { reason: '教练生病' },
    })
    expect(withdraw.statusCode, withdraw.body).toBe(200)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    expect(sentTo(first.person)[0]?.data.thing3).toEqual({ value: '教练生病' })
  })

  it('racing an accept never leaves its notice held for a booking already cancelled', async () => {
    const { person, booking } = await bookedPerson(24 * 60)
    const other = await mysql.createConnection({ uri: databaseUrl() })
    try {
      // an admin's cancel, caught between its writes: the booking cancelled, the held notices
      // released (none yet), not committed
      await other.query('BEGIN')
      await other.query("UPDATE bookings SET status = 'cancelled', cancel_reason = '场地维修' WHERE id = ?", [
        booking.id,
      ])
      await other.query(
        "UPDATE subscribe_deliveries SET due_at = UTC_TIMESTAMP(3) WHERE booking_id = ? AND kind = 'cancelled' AND state = 'pending' AND due_at IS NULL",
        [booking.id],
      )
      h.sandbox.grantSubscriptions({ appId: APP_ID, openid: person.openid, templateIds: [CANCELLED] })
      const accepted = h.app.inject({
        method: 'POST',
        url: `/api/bookings/${booking.id}/subscriptions`,
        headers: person.auth(),
        payload: { accepted: ['cancelled'] },
      })
      await waitForLockWait(other, 'INSERT')
      await other.query('COMMIT')

      const response = await accepted
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json<BookingResponse>().booking.status).toBe('cancelled')
    } finally {
      await other.end()
    }
    // the accept came after the cancel: nothing owed, nothing held forever
    expect(await deliveryStates()).toEqual([])
  })
})

describe('POST /api/bookings/:id/subscriptions', () => {
  it("answers 404 for another person's booking and records nothing", async () => {
    const { booking } = await bookedPerson(24 * 60)
    const other = await personWithPhone(h, '13799999999')
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/subscriptions`,
      headers: other.auth(),
      payload: { accepted: ['reminder'] },
    })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM subscribe_deliveries`)
    expect((rows as unknown as { n: number }[])[0]!.n).toBe(0)
  })

  it('refuses a kind that is not one, and records a kind once however often it is reported', async () => {
    const { person, booking } = await bookedPerson(24 * 60)
    const bad = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/subscriptions`,
      headers: person.auth(),
      payload: { accepted: ['marketing'] },
    })
    expect(bad.statusCode).toBe(400)
    await subscribe(person, booking.id, ['reminder'])
    await subscribe(person, booking.id, ['reminder'])
    clock.advance(24 * 3600_000)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 1 })
    expect(sentTo(person)).toHaveLength(1)
  })
})

describe('the scheduler', () => {
  it('turns a send left `sending` past its lease into `unknown`, never resending it', async () => {
    const { person, booking } = await bookedPerson(30)
    await subscribe(person, booking.id, ['reminder'])
    // an instance that claimed it and died before recording the outcome
    await h.app.db.execute(
      sql`UPDATE subscribe_deliveries SET state = 'sending', claimed_by = 'dead#1', claimed_at = ${clock.now()}`,
    )
    await h.app.deliveries.runOnce()
    expect((await mine(person)).reminder).toBe('pending')

    clock.advance(h.app.config.SUBSCRIBE_LEASE_MS + 1000)
    expect(await h.app.deliveries.runOnce()).toMatchObject({ expired: 1, sent: 0 })
    expect((await mine(person)).reminder).toBe('unknown')
    expect(h.sandbox.stats().calls[SEND] ?? 0).toBe(0)
  })

  it('re-checks the booking at the claim: a reminder left pending for a cancelled booking never goes', async () => {
    const { person, booking } = await bookedPerson(30)
    await subscribe(person, booking.id, ['reminder'])
    // a cancel that raced the accept, committed without touching the reminder's row
    await h.app.db.execute(sql`UPDATE bookings SET status = 'cancelled' WHERE id = ${booking.id}`)

    expect(await h.app.deliveries.runOnce()).toMatchObject({ sent: 0 })
    expect(h.sandbox.stats().calls[SEND] ?? 0).toBe(0)
    const [rows] = await h.app.db.execute(sql`SELECT state FROM subscribe_deliveries`)
    expect(rows).toEqual([{ state: 'cancelled' }])
  })

  it("records WeChat's answer through a real deadlock on the outcome write, in the round that sent it", async () => {
    const first = await bookedPerson(30)
    const second = await bookedPerson(40)
    await subscribe(first.person, first.booking.id, ['reminder'])
    await subscribe(second.person, second.booking.id, ['reminder'])
    const [a, b] = await deliveryStates()
    const other = await mysql.createConnection({ uri: databaseUrl() })
    try {
      h.sandbox.addFault({ path: SEND, delayMs: 500, times: 2 })
      const round = h.app.deliveries.runOnce()
      await expect.poll(() => h.sandbox.stats().calls[SEND] ?? 0).toBe(2)
      // while WeChat answers, another transaction takes the second row and is made the heavier
      // one; the outcome write locks the first row and waits on the second; the other then
      // asks for the first: a deadlock whose victim is the outcome write
      await other.query('BEGIN')
      for (const { slot } of [first, second])
        await other.query('UPDATE slots SET capacity = capacity + 1 WHERE id = ?', [slot.id])
      for (const { person } of [first, second])
        await other.query('UPDATE users SET nickname = ? WHERE id = ?', ['锁', person.userId])
      await other.query('UPDATE subscribe_deliveries SET last_errcode = 0 WHERE id = ?', [b!.id])
      await waitForLockWait(other, 'update `subscribe_deliveries`')
      await other.query('UPDATE subscribe_deliveries SET last_errcode = 0 WHERE id = ?', [a!.id])
      await other.query('COMMIT')

      expect(await round).toMatchObject({ sent: 2, unknown: 0 })
    } finally {
      await other.end()
    }
    expect((await deliveryStates()).map((r) => r.state)).toEqual(['sent', 'sent'])
    expect(sentTo(first.person)).toHaveLength(1)
    expect(sentTo(second.person)).toHaveLength(1)
  })

  it("keeps WeChat's answer when the database is lost before it is recorded, and records it once back", async () => {
    const target = new URL(databaseUrl())
    const relay = new TcpProxy({ host: target.hostname, port: Number(target.port || 3306) })
    await relay.start()
    const relayed = new URL(target)
    relayed.host = `127.0.0.1:${relay.port}`
    const instance = await startHarness({
      sandbox: h.sandbox,
      now: clock.now,
      env: { DATABASE_URL: relayed.toString(), WECHAT_TEMPLATES: `reminder:${REMINDER}` },
    })
    try {
      const { person, booking } = await bookedPerson(30)
      await subscribe(person, booking.id, ['reminder'])
      h.sandbox.addFault({ path: SEND, delayMs: 500 })
      const round = instance.app.deliveries.runOnce()
      await expect.poll(() => h.sandbox.stats().calls[SEND] ?? 0).toBe(1)
      await relay.cut()
      // sent, but the outcome could not be written (the round fails if its other claimer was
      // still claiming when the relay went)
      await round.catch(() => undefined)
      expect((await mine(person)).reminder).toBe('pending')
      expect(sentTo(person)).toHaveLength(1)

      await relay.start()
      // past the lease too: the answer kept is written before any lease is turned `unknown`
      clock.advance(h.app.config.SUBSCRIBE_LEASE_MS + 1000)
      // the pool may first hand out a connection the cut left dead: that round fails, keeping it
      let recovered: Awaited<ReturnType<typeof instance.app.deliveries.runOnce>> | undefined
      for (let tries = 0; !recovered && tries < 50; tries++)
        recovered = await instance.app.deliveries.runOnce().catch(() => sleep(100).then(() => undefined))
      expect(recovered).toMatchObject({ sent: 1, expired: 0 })
      expect((await mine(person)).reminder).toBe('sent')
      expect(await instance.app.deliveries.runOnce()).toMatchObject({ sent: 0, expired: 0 })
      expect(sentTo(person)).toHaveLength(1)
    } finally {
      await instance.close().catch(() => undefined)
      await relay.cut()
    }
  })

  it('runs by itself in an instance started with an interval', async () => {
    const ticking = await startHarness({
      sandbox: h.sandbox,
      now: clock.now,
      env: { WECHAT_TEMPLATES: `reminder:${REMINDER}`, SUBSCRIBE_INTERVAL_MS: '50' },
    })
    try {
      const { person, booking } = await bookedPerson(30)
      await subscribe(person, booking.id, ['reminder'])
      await expect.poll(() => sentTo(person).length, { timeout: 5000 }).toBe(1)
    } finally {
      await ticking.close()
    }
  })
})
