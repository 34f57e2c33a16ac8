import type { AdminSlotsResponse, BookingResponse, StaffBookingsResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, bindPhone, login, type Person } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'

const clock = testClock()
let h: Harness
let admin: string

function createSlots(body: object) {
  return h.app.inject({ method: 'POST', url: '/api/admin/slots', headers: bearer(admin), payload: body })
}

/** One slot tomorrow 09:00-10:00 (Shanghai), five places. */
async function slotTomorrowAtNine() {
  const date = shanghaiDate(clock.now(), 1)
  const response = await createSlots({
    from: date,
    to: date,
    times: [{ start: '09:00', end: '10:00' }],
    capacity: 5,
    title: 'A',
  })
  return response.json<AdminSlotsResponse>().items[0]!
}

async function staffMember(phone = '13900000001'): Promise<Person> {
  await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: { rows: [{ mobile: phone, name: '值班员' }] },
  })
  const person = await login(h)
  await bindPhone(h, person, phone)
  return person
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

describe('admin slots', () => {
  it('creates date range × time ranges in one request, times read in APP_TIMEZONE', async () => {
    const from = shanghaiDate(clock.now(), 1)
    const to = shanghaiDate(clock.now(), 3)
    const response = await createSlots({
      from,
      to,
      times: [
        { start: '14:00', end: '15:00' },
        { start: '09:00', end: '10:30' },
      ],
      capacity: 8,
      title: ' 体检 ',
    })
    expect(response.statusCode, response.body).toBe(200)
    const { items } = response.json<AdminSlotsResponse>()
    expect(items).toHaveLength(6)
    expect(items[0]).toMatchObject({
      startsAt: `${from}T01:00:00.000Z`,
      endsAt: `${from}T02:30:00.000Z`,
      title: '体检',
      capacity: 8,
      booked: 0,
      available: 8,
    })
    const listed = await h.app.inject({
      method: 'GET',
      url: `/api/admin/slots?from=${from}&to=${to}`,
      headers: bearer(admin),
    })
    expect(listed.json<AdminSlotsResponse>().items.map((s) => s.id)).toEqual(items.map((s) => s.id))
    const oneDay = await h.app.inject({
      method: 'GET',
      url: `/api/admin/slots?date=${to}`,
      headers: bearer(admin),
    })
    expect(oneDay.json<AdminSlotsResponse>().items).toHaveLength(2)
  })

  it('ends a slot at midnight with 24:00', async () => {
    const date = shanghaiDate(clock.now(), 1)
    const response = await createSlots({
      from: date,
      to: date,
      times: [{ start: '23:00', end: '24:00' }],
      capacity: 1,
      title: '夜',
    })
    const [slot] = response.json<AdminSlotsResponse>().items
    expect(new Date(slot!.endsAt).getTime() - new Date(slot!.startsAt).getTime()).toBe(3600_000)
  })

  it('answers 400 VALIDATION_FAILED for a day outside the years the database stores, on every route that takes one', async () => {
    const staff = await staffMember()
    for (const day of ['9999-12-31', '1000-01-01']) {
      const slot = { from: day, to: day, times: [{ start: '23:00', end: '24:00' }], capacity: 1, title: 'X' }
      const answers = [
        await createSlots(slot),
        await h.app.inject({ url: `/api/admin/slots?date=${day}`, headers: bearer(admin) }),
        await h.app.inject({ url: `/api/admin/slots?from=9998-12-30&to=${day}`, headers: bearer(admin) }),
        await h.app.inject({ url: `/api/slots?date=${day}`, headers: bearer(staff.token) }),
        await h.app.inject({ url: `/api/staff/bookings?date=${day}`, headers: bearer(staff.token) }),
      ]
      for (const answer of answers) {
        expect(answer.statusCode, `${answer.body} (${day})`).toBe(400)
        expect(answer.json().error.code).toBe('VALIDATION_FAILED')
      }
    }
    const lastDay = await createSlots({
      from: '9998-12-31',
      to: '9998-12-31',
      times: [{ start: '23:00', end: '24:00' }],
      capacity: 1,
      title: '最后一天',
    })
    expect(lastDay.statusCode).toBe(200)
    expect(lastDay.json<AdminSlotsResponse>().items[0]!.endsAt).toBe('9998-12-31T16:00:00.000Z')
  })

  it('refuses a slot overlapping an existing one with 409 SLOT_OVERLAP, creating none of the request', async () => {
    const date = shanghaiDate(clock.now(), 1)
    await createSlots({
      from: date,
      to: date,
      times: [{ start: '09:00', end: '10:00' }],
      capacity: 5,
      title: 'A',
    })
    const response = await createSlots({
      from: date,
      to: shanghaiDate(clock.now(), 2),
      times: [{ start: '09:30', end: '11:00' }],
      capacity: 5,
      title: 'B',
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().error.code).toBe('SLOT_OVERLAP')
    const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM slots`)
    expect(Number((rows as unknown as { n: number }[])[0]!.n)).toBe(1)
    const duplicate = await createSlots({
      from: date,
      to: date,
      times: [{ start: '09:00', end: '10:00' }],
      capacity: 5,
      title: 'A',
    })
    expect(duplicate.json().error.code).toBe('SLOT_OVERLAP')
    const adjacent = await createSlots({
      from: date,
      to: date,
      times: [{ start: '10:00', end: '11:00' }],
      capacity: 5,
      title: 'C',
    })
    expect(adjacent.statusCode).toBe(200)
  })

  it('lets only one of two overlapping requests made at the same moment succeed', async () => {
    const date = shanghaiDate(clock.now(), 5)
    const responses = await Promise.all([
      createSlots({
        from: date,
        to: date,
        times: [{ start: '09:00', end: '10:00' }],
        capacity: 5,
        title: 'A',
      }),
      createSlots({
        from: date,
        to: date,
        times: [{ start: '09:30', end: '10:30' }],
        capacity: 5,
        title: 'B',
      }),
    ])
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409])
  })

  it.each([
    [{ times: [{ start: '10:00', end: '09:00' }] }, 'end before start'],
    [
      {
        times: [
          { start: '09:00', end: '10:00' },
          { start: '09:30', end: '11:00' },
        ],
      },
      'times overlapping each other',
    ],
    [{ from: '2026-02-30' }, 'an impossible date'],
    [{ to: '2020-01-01' }, 'to before from'],
    [{ capacity: 0 }, 'no capacity'],
    [{ title: '' }, 'no title'],
    [{ times: [] }, 'no times'],
  ])('refuses %j (%s) with 400 VALIDATION_FAILED', async (change, _why) => {
    const date = shanghaiDate(clock.now(), 1)
    const body = {
      from: date,
      to: date,
      times: [{ start: '09:00', end: '10:00' }],
      capacity: 5,
      title: 'A',
      ...change,
    }
    const response = await createSlots(body)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('deletes a slot without upcoming bookings, refuses one with them (409 SLOT_HAS_BOOKINGS), and audits', async () => {
    const date = shanghaiDate(clock.now(), 1)
    const [free, taken] = (
      await createSlots({
        from: date,
        to: date,
        times: [
          { start: '09:00', end: '10:00' },
          { start: '10:00', end: '11:00' },
        ],
        capacity: 5,
        title: 'A',
      })
    ).json<AdminSlotsResponse>().items
    const person = await login(h)
    await bindPhone(h, person, '13600000001')
    await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: person.auth(),
      payload: { slotId: taken!.id },
    })

    const removed = await h.app.inject({
      method: 'DELETE',
      url: `/api/admin/slots/${free!.id}`,
      headers: bearer(admin),
    })
    expect(removed.json()).toEqual({ removed: true })
    const refused = await h.app.inject({
      method: 'DELETE',
      url: `/api/admin/slots/${taken!.id}`,
      headers: bearer(admin),
    })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('SLOT_HAS_BOOKINGS')
    const again = await h.app.inject({
      method: 'DELETE',
      url: `/api/admin/slots/${free!.id}`,
      headers: bearer(admin),
    })
    expect(again.statusCode).toBe(404)
    const [rows] = await h.app.db.execute(
      sql`SELECT action FROM audit_log WHERE action LIKE 'slot.%' ORDER BY id`,
    )
    expect(rows).toEqual([{ action: 'slot.create' }, { action: 'slot.delete' }])
  })
})

describe('removing a slot', () => {
  it('is refused while a checked-in person holds a place, and allowed once the slot has ended', async () => {
    const slot = await slotTomorrowAtNine()
    const staff = await staffMember()
    const person = await login(h)
    await bindPhone(h, person, '13600000001')
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: person.auth(),
      payload: { slotId: slot!.id },
    })
    // check-in opens 30 minutes before the start (the default rule)
    clock.set(new Date(new Date(slot!.startsAt).getTime() - 10 * 60_000))
    const checkedIn = await h.app.inject({
      method: 'POST',
      url: `/api/staff/bookings/${booked.json<BookingResponse>().booking.id}/check-in`,
      headers: staff.auth(),
    })
    expect(checkedIn.json<BookingResponse>().booking.status).toBe('checked_in')

    const remove = () =>
      h.app.inject({ method: 'DELETE', url: `/api/admin/slots/${slot!.id}`, headers: bearer(admin) })
    const refused = await remove()
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error.code).toBe('SLOT_HAS_BOOKINGS')
    clock.set(new Date(new Date(slot!.endsAt).getTime() + 1000))
    const removed = await remove()
    expect(removed.statusCode, removed.body).toBe(200)
    expect(removed.json()).toEqual({ removed: true })
  })
})

describe('the staff booking view', () => {
  it('shows every slot of the day in start order with its bookings, nickname and masked phone', async () => {
    const date = shanghaiDate(clock.now(), 1)
    const slots = (
      await createSlots({
        from: date,
        to: date,
        times: [
          { start: '14:00', end: '15:00' },
          { start: '09:00', end: '10:00' },
        ],
        capacity: 5,
        title: '体检',
      })
    ).json<AdminSlotsResponse>().items
    const staff = await staffMember()
    const person = await login(h)
    await bindPhone(h, person, '13612345678')
    await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: person.auth(),
      payload: { nickname: '小王' },
    })
    await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: person.auth(),
      payload: { slotId: slots[1]!.id },
    })

    const response = await h.app.inject({
      method: 'GET',
      url: `/api/staff/bookings?date=${date}`,
      headers: staff.auth(),
    })
    expect(response.statusCode, response.body).toBe(200)
    const view = response.json<StaffBookingsResponse>()
    expect(view.slots.map((s) => s.slot.id)).toEqual([slots[0]!.id, slots[1]!.id])
    expect(view.slots[0]!.bookings).toEqual([])
    expect(view.slots[1]!.bookings).toEqual([
      expect.objectContaining({ status: 'booked', user: { nickname: '小王', phoneMasked: '136****5678' } }),
    ])
    const today = await h.app.inject({ method: 'GET', url: '/api/staff/bookings', headers: staff.auth() })
    expect(today.json<StaffBookingsResponse>()).toEqual({ date: shanghaiDate(clock.now()), slots: [] })
  })

  it('checks a person in once: a repeat or a cancelled booking answers 409, an unknown one 404', async () => {
    const slot = await slotTomorrowAtNine()
    const staff = await staffMember()
    const people = await Promise.all([login(h, { openid: 'o-1' }), login(h, { openid: 'o-2' })])
    await bindPhone(h, people[0], '13600000001')
    await bindPhone(h, people[1], '13600000002')
    const [kept, cancelled] = await Promise.all(
      people.map(
        async (p) =>
          (
            await h.app.inject({
              method: 'POST',
              url: '/api/bookings',
              headers: p.auth(),
              payload: { slotId: slot!.id },
            })
          ).json<BookingResponse>().booking,
      ),
    )
    await h.app.inject({
      method: 'POST',
      url: `/api/bookings/${cancelled!.id}/cancel`,
      headers: people[1].auth(),
    })

    const checkIn = (id: number) =>
      h.app.inject({ method: 'POST', url: `/api/staff/bookings/${id}/check-in`, headers: staff.auth() })
    clock.set(new Date(new Date(slot!.startsAt).getTime() - 10 * 60_000))
    const done = await checkIn(kept!.id)
    expect(done.json<BookingResponse>().booking).toMatchObject({
      status: 'checked_in',
      checkedInAt: expect.stringMatching(/Z$/),
    })
    for (const id of [kept!.id, cancelled!.id]) {
      const response = await checkIn(id)
      expect(response.statusCode).toBe(409)
      expect(response.json().error.code).toBe('BOOKING_NOT_ACTIVE')
    }
    expect((await checkIn(999_999)).statusCode).toBe(404)
    // a checked-in person still holds the place: no second booking of that slot
    const rebook = await h.app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: people[0].auth(),
      payload: { slotId: slot!.id },
    })
    expect(rebook.json().error.code).toBe('ALREADY_BOOKED')
    const [rows] = await h.app.db.execute(
      sql`SELECT actor_type, target FROM audit_log WHERE action = 'booking.checkIn'`,
    )
    expect(rows).toEqual([{ actor_type: 'staff', target: `booking:${kept!.id}` }])
  })

  it('refuses people who are not staff with 403 FORBIDDEN', async () => {
    const person = await login(h)
    await bindPhone(h, person, '13600000009')
    for (const [method, url] of [
      ['GET', '/api/staff/bookings'],
      ['POST', '/api/staff/bookings/1/check-in'],
    ] as const) {
      const response = await h.app.inject({ method, url, headers: person.auth() })
      expect(response.statusCode).toBe(403)
      expect(response.json().error.code).toBe('FORBIDDEN')
    }
  })

  it('refuses a disabled staff member on the next request', async () => {
    const staff = await staffMember()
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/staff/bookings', headers: staff.auth() })).statusCode,
    ).toBe(200)
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${staff.userId}`,
      headers: bearer(admin),
      payload: { isDeleted: true },
    })
    const refused = await h.app.inject({ method: 'GET', url: '/api/staff/bookings', headers: staff.auth() })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('USER_DISABLED')
  })
})
