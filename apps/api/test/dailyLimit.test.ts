import type { BookingResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { createSlotsOn, personWithPhone, shanghaiNoon } from './support/venue'

/**
 * maxActivePerDay rests on a write both bookings make (the person's `person_days` row), not on a
 * read: bookings by one person at the same instant, on any instance or Galera node, pass it no
 * more often than the limit.
 */

const clock = testClock()
let h: Harness
let admin: string

const rules = {
  bookingWindowDays: 7,
  cancelCutoffMinutes: 0,
  maxActivePerDay: 0,
  checkInOpensMinutesBefore: 30,
}
const tenHalfHours = Array.from({ length: 10 }, (_, i) => ({
  start: `${String(8 + i).padStart(2, '0')}:00`,
  end: `${String(8 + i).padStart(2, '0')}:30`,
}))

async function setLimit(maxActivePerDay: number) {
  const saved = await h.app.inject({
    method: 'PUT',
    url: '/api/admin/settings',
    headers: bearer(admin),
    payload: { ...rules, maxActivePerDay },
  })
  expect(saved.statusCode, saved.body).toBe(200)
}

function book(person: Person, slotId: number) {
  return h.app.inject({ method: 'POST', url: '/api/bookings', headers: person.auth(), payload: { slotId } })
}

async function count(query: ReturnType<typeof sql>): Promise<number> {
  const [rows] = (await h.app.db.execute(query)) as unknown as [{ n: number }[]]
  return Number(rows[0]!.n)
}

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  await h.app.db.execute(sql`DELETE FROM person_days`)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

describe('the per-day limit under concurrent bookings by one person', () => {
  it('10 bookings at once on 10 slots of one day with a limit of 2: exactly 2 succeed', async () => {
    await setLimit(2)
    const person = await personWithPhone(h, '13600000001')
    // three days, one storm each
    for (let ahead = 1; ahead <= 3; ahead++) {
      const slots = await createSlotsOn(h, admin, shanghaiDate(clock.now(), ahead), tenHalfHours)
      const answers = await Promise.all(slots.map((slot) => book(person, slot.id)))
      const byStatus = answers.map((a) => (a.statusCode === 200 ? 'ok' : a.json().error.code))
      expect(
        byStatus.filter((s) => s === 'ok'),
        JSON.stringify(byStatus),
      ).toHaveLength(2)
      expect(byStatus.filter((s) => s !== 'ok').every((s) => s === 'DAILY_LIMIT_REACHED')).toBe(true)
    }
    const active = await count(
      sql`SELECT COUNT(*) AS n FROM bookings WHERE user_id = ${person.userId} AND status = 'booked'`,
    )
    expect(active).toBe(6)
    // a refused booking took no place: every counter equals its bookings
    expect(await count(sql`SELECT COALESCE(SUM(booked), 0) AS n FROM slots`)).toBe(6)
  })

  it('counts bookings, not writes: a cancellation frees the day, another day is its own', async () => {
    await setLimit(1)
    const [first, second] = await createSlotsOn(h, admin, shanghaiDate(clock.now(), 1), tenHalfHours)
    const [nextDay] = await createSlotsOn(h, admin, shanghaiDate(clock.now(), 2), tenHalfHours)
    const person = await personWithPhone(h, '13600000002')
    const booked = await book(person, first!.id)
    expect(booked.statusCode).toBe(200)
    expect((await book(person, nextDay!.id)).statusCode).toBe(200)
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booked.json<BookingResponse>().booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect((await book(person, second!.id)).statusCode).toBe(200)
    expect(await count(sql`SELECT COUNT(*) AS n FROM person_days WHERE user_id = ${person.userId}`)).toBe(2)
  })

  it('with no limit (the default) writes no person_days row', async () => {
    const [slot] = await createSlotsOn(h, admin, shanghaiDate(clock.now(), 1), tenHalfHours)
    const person = await personWithPhone(h, '13600000003')
    expect((await book(person, slot!.id)).statusCode).toBe(200)
    expect(await count(sql`SELECT COUNT(*) AS n FROM person_days`)).toBe(0)
  })
})
