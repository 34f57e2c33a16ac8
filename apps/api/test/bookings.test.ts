import type {
  AdminSlotsResponse,
  Booking,
  BookingResponse,
  MyBookingsResponse,
  SlotsResponse,
} from '@yuyue/contracts'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { slotForBooking } from '../src/db/queries/bookings'
import { takePlace } from '../src/db/queries/takePlace'
import { slots } from '../src/db/schema'
import { adminToken, bearer, bindPhone, login, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'

const clock = testClock()
let h: Harness
let admin: string
let phoneCounter = 0

async function createSlots(body: object) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/admin/slots',
    headers: bearer(admin),
    payload: body,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AdminSlotsResponse>().items
}

async function slotFor(
  capacity: number,
  date = shanghaiDate(clock.now(), 1),
  time = { start: '09:00', end: '10:00' },
) {
  const [slot] = await createSlots({ from: date, to: date, times: [time], capacity, title: '体检' })
  return slot!
}

/** People are set up a few at a time: the concurrency under test is the booking, not the login. */
async function peopleWithPhones(count: number): Promise<Person[]> {
  const people: Person[] = []
  while (people.length < count) {
    people.push(
      ...(await Promise.all(Array.from({ length: Math.min(20, count - people.length) }, personWithPhone))),
    )
  }
  return people
}

async function personWithPhone(): Promise<Person> {
  const person = await login(h)
  phoneCounter++
  await bindPhone(h, person, `136${String(phoneCounter).padStart(8, '0')}`)
  return person
}

function book(person: Person, slotId: number) {
  return h.app.inject({ method: 'POST', url: '/api/bookings', headers: person.auth(), payload: { slotId } })
}

async function bookedCount(slotId: number) {
  const [rows] = await h.app.db.execute(
    sql`SELECT s.booked, (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = s.id AND b.status <> 'cancelled') AS active FROM slots s WHERE s.id = ${slotId}`,
  )
  const row = (rows as unknown as { booked: number; active: number }[])[0]!
  return { booked: Number(row.booked), active: Number(row.active) }
}

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(new Date())
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

describe('booking a place', () => {
  it('books, shows the booking on the slot and in my bookings', async () => {
    const slot = await slotFor(3)
    const person = await personWithPhone()
    const response = await book(person, slot.id)
    expect(response.statusCode, response.body).toBe(200)
    const { booking } = response.json<BookingResponse>()
    expect(booking).toMatchObject({
      status: 'booked',
      slot: { id: slot.id, title: '体检' },
      cancelledAt: null,
    })

    const day = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${shanghaiDate(clock.now(), 1)}`,
      headers: person.auth(),
    })
    expect(day.json<SlotsResponse>().items[0]).toMatchObject({
      id: slot.id,
      capacity: 3,
      booked: 1,
      available: 2,
      myBookingId: booking.id,
    })
    const mine = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
    expect(mine.json<MyBookingsResponse>().items.map((b) => b.id)).toEqual([booking.id])
  })

  it('needs a bound phone: 403 PHONE_REQUIRED', async () => {
    const slot = await slotFor(3)
    const person = await login(h)
    const response = await book(person, slot.id)
    expect(response.statusCode).toBe(403)
    expect(response.json().error.code).toBe('PHONE_REQUIRED')
  })

  it('answers 404 for a slot that does not exist or was removed', async () => {
    const person = await personWithPhone()
    expect((await book(person, 999_999)).statusCode).toBe(404)
    const slot = await slotFor(3)
    await h.app.inject({ method: 'DELETE', url: `/api/admin/slots/${slot.id}`, headers: bearer(admin) })
    const removed = await book(person, slot.id)
    expect(removed.statusCode).toBe(404)
    expect(removed.json().error.code).toBe('NOT_FOUND')
  })

  it('answers 409 ALREADY_BOOKED for a second booking of the same slot', async () => {
    const slot = await slotFor(3)
    const person = await personWithPhone()
    await book(person, slot.id)
    const again = await book(person, slot.id)
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('ALREADY_BOOKED')
  })

  it('answers 409 SLOT_FULL when the places are taken', async () => {
    const slot = await slotFor(1)
    await book(await personWithPhone(), slot.id)
    const late = await book(await personWithPhone(), slot.id)
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('SLOT_FULL')
  })

  it('answers 409 SLOT_CLOSED once the slot has started', async () => {
    const slot = await slotFor(3)
    const person = await personWithPhone()
    clock.set(new Date(new Date(slot.startsAt).getTime() + 1000))
    const response = await book(person, slot.id)
    expect(response.statusCode).toBe(409)
    expect(response.json().error.code).toBe('SLOT_CLOSED')
  })

  it('refuses a slotId of the wrong type with 400', async () => {
    const person = await personWithPhone()
    for (const payload of [{ slotId: '1' }, { slotId: -1 }, {}, { slotId: 1.5 }]) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/bookings',
        headers: person.auth(),
        payload,
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
  })
})

describe('capacity under concurrency', () => {
  it('200 people booking a slot of 10 at once: exactly 10 booked, 190 × SLOT_FULL', async () => {
    const slot = await slotFor(10)
    const people = await peopleWithPhones(200)
    const responses = await Promise.all(people.map((p) => book(p, slot.id)))
    const statuses = responses.map((r) => r.statusCode)
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(responses.filter((r) => r.statusCode === 409 && r.json().error.code === 'SLOT_FULL')).toHaveLength(
      190,
    )
    expect(await bookedCount(slot.id)).toEqual({ booked: 10, active: 10 })

    const winner = people[statuses.indexOf(200)]!
    const bookingId = responses[statuses.indexOf(200)]!.json<BookingResponse>().booking.id
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${bookingId}/cancel`,
      headers: winner.auth(),
    })
    expect(cancelled.statusCode).toBe(200)
    expect(await bookedCount(slot.id)).toEqual({ booked: 9, active: 9 })
    const loser = people[statuses.indexOf(409)]!
    expect((await book(loser, slot.id)).statusCode).toBe(200)
    expect(await bookedCount(slot.id)).toEqual({ booked: 10, active: 10 })
  })

  it('20 requests from one person for one slot at once: exactly one booking', async () => {
    const slot = await slotFor(10)
    const person = await personWithPhone()
    const responses = await Promise.all(Array.from({ length: 20 }, () => book(person, slot.id)))
    expect(responses.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(
      responses.filter((r) => r.statusCode === 409 && r.json().error.code === 'ALREADY_BOOKED'),
    ).toHaveLength(19)
    expect(await bookedCount(slot.id)).toEqual({ booked: 1, active: 1 })
  })
})

describe('the booking transaction (takePlace)', () => {
  /** A place in the slot for the person, booked at `at` (now by default). */
  function take(slotId: number, person: Person, at = clock.now()) {
    return takePlace(h.app.db, { slotId, userId: person.userId, at })
  }

  it('a second booking of the same person fails on the unique key, with nothing written', async () => {
    const slot = await slotFor(5)
    const [person, other] = await Promise.all([personWithPhone(), personWithPhone()])
    const id = await take(slot.id, person)
    expect(id).toBeGreaterThan(0)
    await expect(take(slot.id, person)).rejects.toMatchObject({ errno: 1062 })
    // the counter raised before the refused insert was rolled back with it
    expect(await bookedCount(slot.id)).toEqual({ booked: 1, active: 1 })
    expect(await take(slot.id, other)).toBeGreaterThan(id!)
    expect(await bookedCount(slot.id)).toEqual({ booked: 2, active: 2 })
  })

  it('takes no place in a full, started or removed slot, and writes nothing', async () => {
    const full = await slotFor(1)
    const started = await slotFor(3, shanghaiDate(clock.now(), 1), { start: '11:00', end: '12:00' })
    const removed = await slotFor(3, shanghaiDate(clock.now(), 2))
    const [first, person] = await Promise.all([personWithPhone(), personWithPhone()])
    expect(await take(full.id, first)).not.toBeNull()
    expect(await take(full.id, person)).toBeNull()
    expect(await take(started.id, person, new Date(started.startsAt))).toBeNull()
    await h.app.db.execute(sql`UPDATE slots SET deleted_at = UTC_TIMESTAMP(3) WHERE id = ${removed.id}`)
    expect(await take(removed.id, person)).toBeNull()
    expect(await take(999_999, person)).toBeNull()
    expect(await bookedCount(full.id)).toEqual({ booked: 1, active: 1 })
    expect(await bookedCount(started.id)).toEqual({ booked: 0, active: 0 })
    expect(await bookedCount(removed.id)).toEqual({ booked: 0, active: 0 })
  })

  it('runs READ COMMITTED, so a refused UPDATE does not keep the slot locked to the COMMIT', async () => {
    const slot = await slotFor(5)
    const person = await personWithPhone()
    let isolation: unknown
    const id = await takePlace(
      h.app.db,
      { slotId: slot.id, userId: person.userId, at: clock.now() },
      async (tx) => {
        // InnoDB's own record of the transaction, once it has touched a table
        await tx.execute(sql`SELECT id FROM slots WHERE id = ${slot.id} FOR UPDATE`)
        const [rows] = await tx.execute(
          sql`SELECT trx_isolation_level AS level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()`,
        )
        isolation = (rows as unknown as { level: string }[])[0]?.level
      },
    )
    expect(id).toBeGreaterThan(0)
    expect(isolation).toBe('READ COMMITTED')
  })

  it("reads the slot, the person's booking of it and the rules as drizzle maps them", async () => {
    const slot = await slotFor(5)
    const [person, other] = await Promise.all([personWithPhone(), personWithPhone()])
    const id = await take(slot.id, person)
    const [stored] = await h.app.db.select().from(slots).where(eq(slots.id, slot.id))
    expect(await slotForBooking(h.app.db, slot.id, person.userId)).toEqual({
      slot: stored,
      myBookingId: id,
      rules: undefined,
    })
    const rules = {
      bookingWindowDays: 9,
      cancelCutoffMinutes: 15,
      maxActivePerDay: 2,
      checkInOpensMinutesBefore: 20,
    }
    const saved = await h.app.inject({
      method: 'PUT',
      url: '/api/admin/settings',
      headers: bearer(admin),
      payload: rules,
    })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(await slotForBooking(h.app.db, slot.id, other.userId)).toEqual({
      slot: stored,
      myBookingId: null,
      rules,
    })
    expect(await slotForBooking(h.app.db, 999_999, person.userId)).toBeUndefined()
  })

  it('no connection of the API accepts several statements in one query (SPEC §8)', async () => {
    await expect(h.app.dbHandle.pool.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ errno: 1064 })
  })
})

describe('cancelling', () => {
  it('lets the owner cancel before the start, frees the place, and lets them book again', async () => {
    const slot = await slotFor(1)
    const person = await personWithPhone()
    const { booking } = (await book(person, slot.id)).json<BookingResponse>()
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(response.json<BookingResponse>().booking).toMatchObject({
      status: 'cancelled',
      cancelledAt: expect.stringMatching(/Z$/),
    })
    expect(await bookedCount(slot.id)).toEqual({ booked: 0, active: 0 })
    expect((await book(person, slot.id)).statusCode).toBe(200)
  })

  it('answers 404 for another person’s booking, so ids cannot be probed', async () => {
    const slot = await slotFor(3)
    const owner = await personWithPhone()
    const other = await personWithPhone()
    const { booking } = (await book(owner, slot.id)).json<BookingResponse>()
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: other.auth(),
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('NOT_FOUND')
    const theirs = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: other.auth() })
    expect(theirs.json<MyBookingsResponse>().items).toEqual([])
    expect(await bookedCount(slot.id)).toEqual({ booked: 1, active: 1 })
  })

  it('answers 409 BOOKING_NOT_ACTIVE for a booking already cancelled', async () => {
    const slot = await slotFor(3)
    const person = await personWithPhone()
    const { booking } = (await book(person, slot.id)).json<BookingResponse>()
    await h.app.inject({ method: 'POST', url: `/api/bookings/${booking.id}/cancel`, headers: person.auth() })
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('BOOKING_NOT_ACTIVE')
  })

  it('answers 409 SLOT_CLOSED once the slot has started', async () => {
    const slot = await slotFor(3)
    const person = await personWithPhone()
    const { booking } = (await book(person, slot.id)).json<BookingResponse>()
    clock.set(new Date(slot.startsAt))
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().error.code).toBe('SLOT_CLOSED')
  })
})

describe('my bookings', () => {
  it('lists upcoming ones first (soonest first), then past ones (latest first), paginated', async () => {
    const person = await personWithPhone()
    const date = shanghaiDate(clock.now(), 1)
    const slots = await createSlots({
      from: date,
      to: shanghaiDate(clock.now(), 2),
      times: [
        { start: '08:00', end: '09:00' },
        { start: '14:00', end: '15:00' },
      ],
      capacity: 5,
      title: '咨询',
    })
    const ids: Record<number, number> = {}
    for (const slot of slots) ids[slot.id] = (await book(person, slot.id)).json<BookingResponse>().booking.id
    // move to the afternoon of the first day: its morning slot is past
    clock.set(new Date(new Date(slots[0]!.endsAt).getTime() + 60_000))
    const mine = await h.app.inject({
      method: 'GET',
      url: '/api/bookings/mine?pageSize=3',
      headers: person.auth(),
    })
    const page = mine.json<MyBookingsResponse>()
    expect(page.total).toBe(4)
    expect(page.items.map((b: Booking) => b.slot.id)).toEqual([slots[1]!.id, slots[2]!.id, slots[3]!.id])
    const next = await h.app.inject({
      method: 'GET',
      url: '/api/bookings/mine?pageSize=3&page=2',
      headers: person.auth(),
    })
    expect(next.json<MyBookingsResponse>().items.map((b) => b.slot.id)).toEqual([slots[0]!.id])
  })
})

describe('slots of a day', () => {
  it('follow APP_TIMEZONE: a slot at 00:30 Shanghai time belongs to that Shanghai date', async () => {
    const date = shanghaiDate(clock.now(), 3)
    const [slot] = await createSlots({
      from: date,
      to: date,
      times: [{ start: '00:30', end: '01:00' }],
      capacity: 2,
      title: '夜诊',
    })
    // 00:30 in Shanghai is 16:30 UTC on the previous calendar day
    expect(slot!.startsAt).toBe(`${shanghaiDate(clock.now(), 2)}T16:30:00.000Z`)
    const person = await login(h)
    const onDay = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${date}`,
      headers: person.auth(),
    })
    expect(onDay.json<SlotsResponse>().items.map((s) => s.id)).toEqual([slot!.id])
    const dayBefore = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${shanghaiDate(clock.now(), 2)}`,
      headers: person.auth(),
    })
    expect(dayBefore.json<SlotsResponse>().items).toEqual([])
  })

  it('defaults to today and refuses impossible dates', async () => {
    const person = await login(h)
    const today = await h.app.inject({ method: 'GET', url: '/api/slots', headers: person.auth() })
    expect(today.json<SlotsResponse>().date).toBe(shanghaiDate(clock.now()))
    for (const date of ['2026-02-30', '2026-13-01', 'tomorrow']) {
      const response = await h.app.inject({
        method: 'GET',
        url: `/api/slots?date=${date}`,
        headers: person.auth(),
      })
      expect(response.statusCode, date).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
  })
})
