import type {
  AdminBooking,
  AdminBookingsResponse,
  AdminSlot,
  AdminSlotsResponse,
  BookingResponse,
  MyBookingsResponse,
  SlotsResponse,
} from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, login, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { createSlotsOn, shanghaiNoon, personWithPhone as withPhone } from './support/venue'

const clock = testClock()
let h: Harness
let admin: string

const slotsOn = (date: string, times: { start: string; end: string }[], capacity = 5) =>
  createSlotsOn(h, admin, date, times, { capacity })
const personWithPhone = (phone: string, nickname?: string) => withPhone(h, phone, nickname)

async function booked(person: Person, slotId: number) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: person.auth(),
    payload: { slotId },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<BookingResponse>().booking
}

const adminGet = (url: string) => h.app.inject({ method: 'GET', url, headers: bearer(admin) })
const adminSend = (method: 'POST' | 'PATCH', url: string, payload: object) =>
  h.app.inject({ method, url, headers: bearer(admin), payload })

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

describe('GET /api/admin/bookings', () => {
  it('lists bookings by day, slot, person, status and q, with phone and check-in time', async () => {
    const day = shanghaiDate(clock.now(), 1)
    const [nine, eleven] = await slotsOn(day, [
      { start: '09:00', end: '10:00' },
      { start: '11:00', end: '12:00' },
    ])
    const [later] = await slotsOn(shanghaiDate(clock.now(), 2), [{ start: '09:00', end: '10:00' }])
    const wang = await personWithPhone('13600001111', '小王')
    const li = await personWithPhone('13700002222', '李四')
    const wangNine = await booked(wang, nine!.id)
    await booked(li, nine!.id)
    const liEleven = await booked(li, eleven!.id)
    await booked(wang, later!.id)

    const ofDay = (await adminGet(`/api/admin/bookings?from=${day}&to=${day}`)).json<AdminBookingsResponse>()
    expect(ofDay.total).toBe(3)
    expect(ofDay.items.map((b) => [b.slot.id, b.user.nickname])).toEqual([
      [nine!.id, '小王'],
      [nine!.id, '李四'],
      [eleven!.id, '李四'],
    ])
    expect(ofDay.items[0]).toEqual<AdminBooking>({
      id: wangNine.id,
      status: 'booked',
      createdAt: expect.stringMatching(/Z$/),
      checkedInAt: null,
      cancelledBy: null,
      cancelReason: null,
      reminder: 'none',
      reminderErrcode: null,
      slot: { id: nine!.id, startsAt: nine!.startsAt, endsAt: nine!.endsAt, title: '体检' },
      user: { id: wang.userId, nickname: '小王', mobile: '13600001111', countryCode: '86' },
    })

    const ofSlot = (await adminGet(`/api/admin/bookings?slotId=${nine!.id}`)).json<AdminBookingsResponse>()
    expect(ofSlot.items.map((b) => b.user.id)).toEqual([wang.userId, li.userId])
    const ofPerson = (
      await adminGet(`/api/admin/bookings?userId=${wang.userId}`)
    ).json<AdminBookingsResponse>()
    expect(ofPerson.items.map((b) => b.slot.id)).toEqual([nine!.id, later!.id])
    for (const q of ['李', '1370000', '13700002222']) {
      const found = (
        await adminGet(`/api/admin/bookings?q=${encodeURIComponent(q)}`)
      ).json<AdminBookingsResponse>()
      expect(
        found.items.map((b) => b.user.id),
        q,
      ).toEqual([li.userId, li.userId])
    }
    expect((await adminGet('/api/admin/bookings?q=nobody')).json<AdminBookingsResponse>()).toMatchObject({
      items: [],
      total: 0,
    })

    await h.app.inject({ method: 'POST', url: `/api/bookings/${liEleven.id}/cancel`, headers: li.auth() })
    const cancelled = (await adminGet('/api/admin/bookings?status=cancelled')).json<AdminBookingsResponse>()
    expect(cancelled.items.map((b) => [b.id, b.cancelledBy])).toEqual([[liEleven.id, 'user']])

    const paged = (await adminGet('/api/admin/bookings?page=2&pageSize=2')).json<AdminBookingsResponse>()
    expect(paged).toMatchObject({ total: 4, page: 2, pageSize: 2 })
    expect(paged.items).toHaveLength(2)
  })

  it('answers 400 for a bad filter and 401 without an admin token', async () => {
    for (const url of [
      '/api/admin/bookings?status=gone',
      '/api/admin/bookings?from=2026-02-30',
      '/api/admin/bookings?from=2026-03-02&to=2026-03-01',
    ]) {
      const response = await adminGet(url)
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const person = await login(h)
    const refused = await h.app.inject({ method: 'GET', url: '/api/admin/bookings', headers: person.auth() })
    expect([401, 403]).toContain(refused.statusCode)
  })
})

describe('POST /api/admin/bookings/:id/cancel', () => {
  it('cancels with the reason the person then reads in 我的预约, audited; twice answers 409', async () => {
    const [slot] = await slotsOn(shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }])
    const person = await personWithPhone('13600003333')
    const booking = await booked(person, slot!.id)
    const cancel = () => adminSend('POST', `/api/admin/bookings/${booking.id}/cancel`, { reason: '场馆维修' })
    const done = await cancel()
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json<AdminBooking>()).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'admin',
      cancelReason: '场馆维修',
    })

    const mine = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
    expect(mine.json<MyBookingsResponse>().items[0]).toMatchObject({
      id: booking.id,
      status: 'cancelled',
      cancelledBy: 'admin',
      cancelReason: '场馆维修',
      reminder: 'none',
    })
    // the place is given back
    const listed = (
      await adminGet(`/api/admin/slots?date=${shanghaiDate(clock.now(), 1)}`)
    ).json<AdminSlotsResponse>()
    expect(listed.items[0]).toMatchObject({ booked: 0, available: 5 })

    const again = await cancel()
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('BOOKING_NOT_ACTIVE')
    expect((await adminSend('POST', '/api/admin/bookings/999999/cancel', { reason: 'x' })).statusCode).toBe(
      404,
    )
    const blank = await adminSend('POST', `/api/admin/bookings/${booking.id}/cancel`, { reason: '  ' })
    expect(blank.statusCode).toBe(400)
    const [rows] = await h.app.db.execute(
      sql`SELECT actor_type, target, detail FROM audit_log WHERE action = 'booking.cancel'`,
    )
    expect(rows).toEqual([expect.objectContaining({ actor_type: 'admin', target: `booking:${booking.id}` })])
  })
})

describe('changing and withdrawing slots', () => {
  it('changes title and capacity, never below the places booked (409 CAPACITY_BELOW_BOOKED)', async () => {
    const [slot] = await slotsOn(shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }])
    const people = await Promise.all(['13600000011', '13600000012'].map((p) => personWithPhone(p)))
    for (const p of people) await booked(p, slot!.id)

    const renamed = await adminSend('PATCH', `/api/admin/slots/${slot!.id}`, { title: ' 晨练 ', capacity: 2 })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json<AdminSlot>()).toMatchObject({ title: '晨练', capacity: 2, booked: 2, available: 0 })
    const below = await adminSend('PATCH', `/api/admin/slots/${slot!.id}`, { capacity: 1 })
    expect(below.statusCode).toBe(409)
    expect(below.json().error.code).toBe('CAPACITY_BELOW_BOOKED')
    expect((await adminSend('PATCH', '/api/admin/slots/999999', { capacity: 3 })).statusCode).toBe(404)
    expect((await adminSend('PATCH', `/api/admin/slots/${slot!.id}`, {})).statusCode).toBe(400)
  })

  it('never lets the capacity fall under the booked places while people book at the same moment', async () => {
    const [slot] = await slotsOn(shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }], 10)
    const people = await Promise.all(
      Array.from({ length: 8 }, (_, i) => personWithPhone(`1360000${String(100 + i).padStart(4, '0')}`)),
    )
    const outcomes = await Promise.all([
      ...people.map((p) =>
        h.app.inject({
          method: 'POST',
          url: '/api/bookings',
          headers: p.auth(),
          payload: { slotId: slot!.id },
        }),
      ),
      adminSend('PATCH', `/api/admin/slots/${slot!.id}`, { capacity: 4 }),
    ])
    const [[row]] = (await h.app.db.execute(
      sql`SELECT capacity, booked, (SELECT COUNT(*) FROM bookings WHERE slot_id = ${slot!.id} AND status = 'booked') AS active FROM slots WHERE id = ${slot!.id}`,
    )) as unknown as [{ capacity: number; booked: number; active: number }[]]
    expect(Number(row!.booked)).toBe(Number(row!.active))
    expect(Number(row!.booked)).toBeLessThanOrEqual(Number(row!.capacity))
    const patch = outcomes.at(-1)!
    if (patch.statusCode === 200) expect(row!.capacity).toBe(4)
    else expect(patch.json().error.code).toBe('CAPACITY_BELOW_BOOKED')
  })

  it('withdraws a slot: its bookings cancelled with the reason, hidden from people, its time free again', async () => {
    const day = shanghaiDate(clock.now(), 1)
    const [slot] = await slotsOn(day, [{ start: '09:00', end: '10:00' }])
    const people = await Promise.all(['13600000021', '13600000022'].map((p) => personWithPhone(p)))
    const bookings = await Promise.all(people.map((p) => booked(p, slot!.id)))

    const withdrawn = await adminSend('POST', `/api/admin/slots/${slot!.id}/cancel`, { reason: '停电' })
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    expect(withdrawn.json()).toMatchObject({ slot: { id: slot!.id, booked: 0 }, cancelledBookings: 2 })

    for (const [i, person] of people.entries()) {
      const mine = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
      expect(mine.json<MyBookingsResponse>().items[0]).toMatchObject({
        id: bookings[i]!.id,
        status: 'cancelled',
        cancelledBy: 'admin',
        cancelReason: '停电',
      })
    }
    const listed = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${day}`,
      headers: people[0]!.auth(),
    })
    expect(listed.json<SlotsResponse>().items).toEqual([])
    // a new slot may take the withdrawn one's time
    expect(await slotsOn(day, [{ start: '09:00', end: '10:00' }])).toHaveLength(1)
    const again = await adminSend('POST', `/api/admin/slots/${slot!.id}/cancel`, { reason: '停电' })
    expect(again.statusCode).toBe(404)
    const [rows] = await h.app.db.execute(
      sql`SELECT action FROM audit_log WHERE action LIKE 'slot.%' ORDER BY id`,
    )
    expect(rows).toEqual([{ action: 'slot.create' }, { action: 'slot.cancel' }, { action: 'slot.create' }])
  })
})
