import type { AppConfigResponse, BookingResponse, SlotsResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, login, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { createSlotsOn, shanghaiNoon, personWithPhone as withPhone } from './support/venue'

const clock = testClock()
let h: Harness
let admin: string

const slotsOn = (date: string, times: { start: string; end: string }[]) =>
  createSlotsOn(h, admin, date, times, { title: '规则' })
const personWithPhone = (phone: string) => withPhone(h, phone)

function putSettings(body: object, token = admin) {
  return h.app.inject({ method: 'PUT', url: '/api/admin/settings', headers: bearer(token), payload: body })
}

function book(person: Person, slotId: number) {
  return h.app.inject({ method: 'POST', url: '/api/bookings', headers: person.auth(), payload: { slotId } })
}

const rules = {
  bookingWindowDays: 7,
  cancelCutoffMinutes: 0,
  maxActivePerDay: 0,
  checkInOpensMinutesBefore: 30,
}

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

describe('the booking rules', () => {
  it('start at the SPEC defaults, are stored by PUT, audited, and served by GET /api/config', async () => {
    const read = await h.app.inject({ method: 'GET', url: '/api/admin/settings', headers: bearer(admin) })
    expect(read.json()).toEqual(rules)
    const changed = {
      bookingWindowDays: 14,
      cancelCutoffMinutes: 120,
      maxActivePerDay: 2,
      checkInOpensMinutesBefore: 15,
    }
    const saved = await putSettings(changed)
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json()).toEqual(changed)
    const config = await h.app.inject({ method: 'GET', url: '/api/config' })
    expect(config.json<AppConfigResponse>()).toMatchObject(changed)
    const [rows] = await h.app.db.execute(
      sql`SELECT action, detail FROM audit_log WHERE action = 'settings.update'`,
    )
    expect(rows).toHaveLength(1)
  })

  it('refuses bad values with 400 VALIDATION_FAILED and a mini-program token with 401', async () => {
    for (const bad of [
      { ...rules, bookingWindowDays: 0 },
      { ...rules, maxActivePerDay: -1 },
      { ...rules, extra: 1 },
      { bookingWindowDays: 7 },
    ]) {
      const response = await putSettings(bad)
      expect(response.statusCode, JSON.stringify(bad)).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const person = await login(h)
    const refused = await putSettings(rules, person.token)
    expect([401, 403]).toContain(refused.statusCode)
  })

  it('lists a slot beyond the window with opensAt and refuses it with BOOKING_NOT_OPEN until then', async () => {
    const inWindow = shanghaiDate(clock.now(), 7)
    const beyond = shanghaiDate(clock.now(), 8)
    const [open] = await slotsOn(inWindow, [{ start: '09:00', end: '10:00' }])
    const [later] = await slotsOn(beyond, [{ start: '09:00', end: '10:00' }])
    const person = await personWithPhone('13600000001')

    const listed = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${beyond}`,
      headers: person.auth(),
    })
    // 00:00 in Shanghai seven days before the slot's day
    const opensAt = `${shanghaiDate(clock.now(), 0)}T16:00:00.000Z`
    expect(listed.json<SlotsResponse>().items[0]).toMatchObject({ id: later!.id, opensAt })
    const shown = await h.app.inject({
      method: 'GET',
      url: `/api/slots?date=${inWindow}`,
      headers: person.auth(),
    })
    expect(shown.json<SlotsResponse>().items[0]!.opensAt).toBeNull()

    expect((await book(person, open!.id)).statusCode).toBe(200)
    const refused = await book(person, later!.id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('BOOKING_NOT_OPEN')

    clock.set(new Date(opensAt))
    expect((await book(person, later!.id)).statusCode).toBe(200)
  })

  it('refuses a booking past maxActivePerDay on the slot’s day with DAILY_LIMIT_REACHED', async () => {
    await putSettings({ ...rules, maxActivePerDay: 1 })
    const day = shanghaiDate(clock.now(), 1)
    const [first, second] = await slotsOn(day, [
      { start: '09:00', end: '10:00' },
      { start: '11:00', end: '12:00' },
    ])
    const [otherDay] = await slotsOn(shanghaiDate(clock.now(), 2), [{ start: '09:00', end: '10:00' }])
    const person = await personWithPhone('13600000002')
    const booked = await book(person, first!.id)
    expect(booked.statusCode).toBe(200)
    const refused = await book(person, second!.id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('DAILY_LIMIT_REACHED')
    expect((await book(person, otherDay!.id)).statusCode).toBe(200)
    // a cancelled booking no longer counts
    await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booked.json<BookingResponse>().booking.id}/cancel`,
      headers: person.auth(),
    })
    expect((await book(person, second!.id)).statusCode).toBe(200)
  })

  it('refuses a cancellation within cancelCutoffMinutes of the start with CANCEL_TOO_LATE', async () => {
    await putSettings({ ...rules, cancelCutoffMinutes: 60 })
    const [slot] = await slotsOn(shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }])
    const person = await personWithPhone('13600000003')
    const { booking } = (await book(person, slot!.id)).json<BookingResponse>()
    const cancel = () =>
      h.app.inject({ method: 'POST', url: `/api/bookings/${booking.id}/cancel`, headers: person.auth() })
    clock.set(new Date(new Date(slot!.startsAt).getTime() - 59 * 60_000))
    const refused = await cancel()
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('CANCEL_TOO_LATE')
    clock.set(new Date(new Date(slot!.startsAt).getTime() - 61 * 60_000))
    const cancelled = await cancel()
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expect(cancelled.json<BookingResponse>().booking).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'user',
      cancelReason: null,
      reminder: 'none',
    })
  })

  it('lets staff check in only from checkInOpensMinutesBefore the start until the end', async () => {
    await putSettings({ ...rules, checkInOpensMinutesBefore: 15 })
    const [slot] = await slotsOn(shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }])
    await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows: [{ mobile: '13900000009' }] },
    })
    const staff = await personWithPhone('13900000009')
    const person = await personWithPhone('13600000004')
    const { booking } = (await book(person, slot!.id)).json<BookingResponse>()
    const checkIn = () =>
      h.app.inject({
        method: 'POST',
        url: `/api/staff/bookings/${booking.id}/check-in`,
        headers: staff.auth(),
      })
    const start = new Date(slot!.startsAt).getTime()
    for (const at of [start - 16 * 60_000, new Date(slot!.endsAt).getTime()]) {
      clock.set(new Date(at))
      const refused = await checkIn()
      expect(refused.statusCode).toBe(409)
      expect(refused.json().error.code).toBe('CHECK_IN_NOT_OPEN')
    }
    clock.set(new Date(start - 15 * 60_000))
    expect((await checkIn()).statusCode).toBe(200)
  })
})
