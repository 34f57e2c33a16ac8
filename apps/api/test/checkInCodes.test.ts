import type {
  AdminSlot,
  BookingResponse,
  CheckInCodeResponse,
  ScanCheckInResponse,
  StaffBookingsResponse,
} from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { deriveCheckInCodeKey, signCheckInCode } from '../src/domain/bookings/checkInCode'
import { adminToken, bearer, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { createSlotsOn, personWithPhone, shanghaiNoon } from './support/venue'

const clock = testClock()
let h: Harness
let admin: string
let staff: Person
let phones = 0

async function staffMember(): Promise<Person> {
  const phone = '13900000077'
  const imported = await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: { rows: [{ mobile: phone, name: '值班员' }] },
  })
  expect(imported.statusCode, imported.body).toBe(200)
  return personWithPhone(h, phone)
}

/**
 * A person booked into tomorrow's 09:00-10:00 slot (or `into` one already made); the clock
 * then stands 10 minutes before it starts.
 */
async function bookedPerson(nickname = '小明', into?: AdminSlot) {
  const slot =
    into ??
    (await createSlotsOn(h, admin, shanghaiDate(clock.now(), 1), [{ start: '09:00', end: '10:00' }]))[0]!
  const person = await personWithPhone(h, `136000000${String(++phones).padStart(2, '0')}`, nickname)
  const booked = await h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: person.auth(),
    payload: { slotId: slot.id },
  })
  expect(booked.statusCode, booked.body).toBe(200)
  clock.set(new Date(new Date(slot.startsAt).getTime() - 10 * 60_000))
  return { person, slot, booking: booked.json<BookingResponse>().booking }
}

function codeOf(person: Person, bookingId: number) {
  return h.app.inject({ method: 'GET', url: `/api/bookings/${bookingId}/code`, headers: person.auth() })
}

async function freshCode(person: Person, bookingId: number): Promise<string> {
  const response = await codeOf(person, bookingId)
  expect(response.statusCode, response.body).toBe(200)
  return response.json<CheckInCodeResponse>().code
}

function scan(code: string, dryRun?: boolean, by: Person = staff) {
  return h.app.inject({
    method: 'POST',
    url: '/api/staff/check-ins',
    headers: by.auth(),
    payload: dryRun === undefined ? { code } : { code, dryRun },
  })
}

function undo(bookingId: number, by: Person = staff) {
  return h.app.inject({
    method: 'POST',
    url: `/api/staff/bookings/${bookingId}/undo-check-in`,
    headers: by.auth(),
  })
}

async function statusOf(bookingId: number) {
  const [rows] = (await h.app.db.execute(
    sql`SELECT status, checked_in_at AS checkedInAt FROM bookings WHERE id = ${bookingId}`,
  )) as unknown as [{ status: string; checkedInAt: Date | null }[]]
  return rows[0]
}

async function auditActions() {
  const [rows] = (await h.app.db.execute(
    sql`SELECT action FROM audit_log WHERE action LIKE 'booking.%' ORDER BY id`,
  )) as unknown as [{ action: string }[]]
  return rows.map((r) => r.action)
}

function expectError(response: { statusCode: number; body: string }, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status)
  expect(JSON.parse(response.body).error.code).toBe(code)
}

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
  staff = await staffMember()
})
afterAll(() => h.close())

describe('a booking’s check-in code (预约码)', () => {
  it('is new on every call, short, and valid for at most 90 seconds', async () => {
    const { person, booking } = await bookedPerson()
    const first = (await codeOf(person, booking.id)).json<CheckInCodeResponse>()
    const second = (await codeOf(person, booking.id)).json<CheckInCodeResponse>()
    expect(second.code).not.toBe(first.code)
    expect(first.code.length).toBeLessThanOrEqual(80)
    const left = new Date(first.expiresAt).getTime() - clock.now().getTime()
    expect(left).toBeGreaterThan(80_000)
    expect(left).toBeLessThanOrEqual(90_000)
  })

  it('never outlives its slot', async () => {
    const { person, booking, slot } = await bookedPerson()
    clock.set(new Date(new Date(slot.endsAt).getTime() - 30_000))
    const { expiresAt } = (await codeOf(person, booking.id)).json<CheckInCodeResponse>()
    expect(expiresAt).toBe(slot.endsAt)
    clock.set(new Date(slot.endsAt))
    expectError(await codeOf(person, booking.id), 409, 'BOOKING_NOT_ACTIVE')
  })

  it('is 404 for another person’s booking and 409 BOOKING_NOT_ACTIVE for a cancelled one', async () => {
    const { person, booking, slot } = await bookedPerson()
    const other = await bookedPerson('小红', slot)
    expectError(await codeOf(other.person, booking.id), 404, 'NOT_FOUND')
    expectError(await codeOf(person, 999_999), 404, 'NOT_FOUND')
    clock.set(shanghaiNoon())
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${booking.id}/cancel`,
      headers: person.auth(),
    })
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expectError(await codeOf(person, booking.id), 409, 'BOOKING_NOT_ACTIVE')
  })
})

describe('scanning a code (POST /api/staff/check-ins)', () => {
  it('shows who and which slot on a dry run, storing nothing, then checks the person in', async () => {
    const { person, booking, slot } = await bookedPerson('小明')
    const code = await freshCode(person, booking.id)

    const dry = await scan(code, true)
    expect(dry.statusCode, dry.body).toBe(200)
    expect(dry.json<ScanCheckInResponse>()).toMatchObject({
      booking: { id: booking.id, status: 'booked', checkedInAt: null },
      user: { nickname: '小明', phoneMasked: `136****${String(phones).padStart(4, '0')}` },
      slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt, title: slot.title },
    })
    expect((await statusOf(booking.id))?.status).toBe('booked')
    expect(await auditActions()).toEqual([])

    const done = await scan(code)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json<ScanCheckInResponse>().booking).toMatchObject({ id: booking.id, status: 'checked_in' })
    expect(await auditActions()).toEqual(['booking.checkIn'])
    // the person sees it in 我的预约
    const mine = await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })
    expect(mine.json().items[0]).toMatchObject({ id: booking.id, status: 'checked_in' })
    // the same code again: the booking is no longer waiting for a check-in
    expectError(await scan(code), 409, 'BOOKING_NOT_ACTIVE')
  })

  it('refuses a forged, altered, malformed or foreign-key code with 400 CHECK_IN_CODE_INVALID', async () => {
    const { person, booking, slot } = await bookedPerson()
    const other = await bookedPerson('小红', slot)
    const code = await freshCode(person, booking.id)
    const [version, , expiry, nonce, mac] = code.split('.')
    const expiresAt = new Date(clock.now().getTime() + 60_000)
    const forged = [
      // another booking's id under this booking's MAC
      [version, other.booking.id.toString(36), expiry, nonce, mac].join('.'),
      // a later expiry under the same MAC
      [version, booking.id.toString(36), (Number.parseInt(expiry!, 36) + 3600).toString(36), nonce, mac].join(
        '.',
      ),
      // signed with the JWT secret itself, or with a key derived from another secret
      signCheckInCode(Buffer.from(h.app.config.JWT_SECRET), booking.id, expiresAt),
      signCheckInCode(deriveCheckInCodeKey('another-secret-of-at-least-32-chars!!'), booking.id, expiresAt),
      `${code}x`,
      code.replace(/^Y1/, 'Y2'),
      'not a code',
      person.token,
    ]
    for (const bad of forged) {
      expectError(await scan(bad, true), 400, 'CHECK_IN_CODE_INVALID')
      expectError(await scan(bad), 400, 'CHECK_IN_CODE_INVALID')
    }
    expect((await statusOf(booking.id))?.status).toBe('booked')
    expect((await statusOf(other.booking.id))?.status).toBe('booked')
    expectError(await scan(''), 400, 'VALIDATION_FAILED')
  })

  it('refuses an expired code (a screenshot) with 400 CHECK_IN_CODE_INVALID', async () => {
    const { person, booking } = await bookedPerson()
    const code = await freshCode(person, booking.id)
    clock.advance(90_000)
    expectError(await scan(code, true), 400, 'CHECK_IN_CODE_INVALID')
    expectError(await scan(code), 400, 'CHECK_IN_CODE_INVALID')
    expect((await statusOf(booking.id))?.status).toBe('booked')
  })

  it('refuses the code of a booking cancelled since with 409 BOOKING_NOT_ACTIVE', async () => {
    const { person, booking } = await bookedPerson()
    const code = await freshCode(person, booking.id)
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/admin/bookings/${booking.id}/cancel`,
      headers: bearer(admin),
      payload: { reason: '场地维修' },
    })
    expect(cancelled.statusCode, cancelled.body).toBe(200)
    expectError(await scan(code, true), 409, 'BOOKING_NOT_ACTIVE')
    expectError(await scan(code), 409, 'BOOKING_NOT_ACTIVE')
  })

  it('refuses outside the check-in window with 409 CHECK_IN_NOT_OPEN, a dry run too', async () => {
    const { person, booking, slot } = await bookedPerson()
    // an hour before the start: the window (30 minutes by default) is not open yet
    clock.set(new Date(new Date(slot.startsAt).getTime() - 60 * 60_000))
    const code = await freshCode(person, booking.id)
    expectError(await scan(code, true), 409, 'CHECK_IN_NOT_OPEN')
    expectError(await scan(code), 409, 'CHECK_IN_NOT_OPEN')
    expect((await statusOf(booking.id))?.status).toBe('booked')
  })

  it('refuses people who are not staff with 403 FORBIDDEN', async () => {
    const { person, booking } = await bookedPerson()
    const code = await freshCode(person, booking.id)
    expectError(await scan(code, true, person), 403, 'FORBIDDEN')
    expectError(await scan(code, false, person), 403, 'FORBIDDEN')
    expect((await statusOf(booking.id))?.status).toBe('booked')
  })
})

describe('undoing a check-in', () => {
  it('within 10 minutes puts the booking back to booked, audited; after that UNDO_TOO_LATE', async () => {
    const first = await bookedPerson('小明')
    const second = await bookedPerson('小红', first.slot)
    for (const { person, booking } of [first, second])
      expect((await scan(await freshCode(person, booking.id))).statusCode).toBe(200)

    clock.advance(10 * 60_000)
    const undone = await undo(first.booking.id)
    expect(undone.statusCode, undone.body).toBe(200)
    expect(undone.json<BookingResponse>().booking).toMatchObject({ status: 'booked', checkedInAt: null })
    expect(await statusOf(first.booking.id)).toEqual({ status: 'booked', checkedInAt: null })
    const [audit] = (await h.app.db.execute(
      sql`SELECT actor_type AS actorType, actor_id AS actorId, target FROM audit_log WHERE action = 'booking.undoCheckIn'`,
    )) as unknown as [object[]]
    expect(audit).toEqual([
      { actorType: 'staff', actorId: staff.userId, target: `booking:${first.booking.id}` },
    ])
    // back in the staff view as waiting, and it can be checked in again
    const day = await h.app.inject({
      method: 'GET',
      url: `/api/staff/bookings?date=${shanghaiDate(clock.now())}`,
      headers: staff.auth(),
    })
    const entries = day.json<StaffBookingsResponse>().slots.flatMap((s) => s.bookings)
    expect(entries.find((e) => e.id === first.booking.id)?.status).toBe('booked')
    expectError(await undo(first.booking.id), 409, 'BOOKING_NOT_ACTIVE')

    clock.advance(1000)
    expectError(await undo(second.booking.id), 409, 'UNDO_TOO_LATE')
    expect((await statusOf(second.booking.id))?.status).toBe('checked_in')
  })

  it('is 404 for an unknown booking and 403 for people who are not staff', async () => {
    const { person, booking } = await bookedPerson()
    expect((await scan(await freshCode(person, booking.id))).statusCode).toBe(200)
    expectError(await undo(999_999), 404, 'NOT_FOUND')
    expectError(await undo(booking.id, person), 403, 'FORBIDDEN')
    expect((await statusOf(booking.id))?.status).toBe('checked_in')
  })
})
