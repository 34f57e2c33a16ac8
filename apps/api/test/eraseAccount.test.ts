import type { AdminSlotsResponse, AuthResult, MeResponse } from '@yuyue/contracts'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { auditLog, bookings, slots, users, wechatIdentities } from '../src/db/schema'
import { adminToken, bearer, bindPhone, login, sendWxLogin } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { APP_ID, type Harness, resetDatabase, startHarness } from './support/harness'

const clock = testClock()

describe.each([
  ['without Redis', false],
  ['with Redis (the status cache warm)', true],
])('DELETE /api/me %s', (_label, redis) => {
  let h: Harness
  let admin: string

  beforeAll(async () => {
    h = await startHarness({ now: clock.now, redis })
  })
  afterAll(() => h.close())
  beforeEach(async () => {
    clock.set(new Date())
    await resetDatabase(h.app)
    admin = await adminToken(h.app)
  })

  async function slotOn(days: number) {
    const date = shanghaiDate(clock.now(), days)
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/admin/slots',
      headers: bearer(admin),
      payload: {
        from: date,
        to: date,
        times: [{ start: '09:00', end: '10:00' }],
        capacity: 5,
        title: '体检',
      },
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<AdminSlotsResponse>().items[0]!
  }

  it('erases the person as SPEC §4 says, and a later login from the same WeChat user is a new person', async () => {
    const staffPhone = '13900000077'
    const imported = await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows: [{ mobile: staffPhone, name: '王五' }] },
    })
    expect(imported.statusCode, imported.body).toBe(200)

    const person = await login(h, { unionid: 'union-erase-1' })
    expect((await bindPhone(h, person, staffPhone)).user.role).toBe('staff')
    const named = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: person.auth(),
      payload: { nickname: '要注销的人' },
    })
    expect(named.statusCode, named.body).toBe(200)

    const started = await slotOn(1)
    const upcoming = await slotOn(2)
    for (const slot of [started, upcoming]) {
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/bookings',
        headers: person.auth(),
        payload: { slotId: slot.id },
      })
      expect(booked.statusCode, booked.body).toBe(200)
    }
    // the first slot is under way: its booking is history, not a future booking
    clock.set(new Date(new Date(started.startsAt).getTime() + 60_000))
    // warms the status cache when there is one
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/bookings/mine', headers: person.auth() })).statusCode,
    ).toBe(200)

    const deleted = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: person.auth() })
    expect(deleted.statusCode, deleted.body).toBe(200)
    expect(deleted.json()).toEqual({ ok: true })

    const db = h.app.db
    const [row] = await db.select().from(users).where(eq(users.id, person.userId))
    expect(row).toMatchObject({
      role: 'user',
      nickname: null,
      avatarUrl: null,
      mobile: null,
      countryCode: null,
      unionid: null,
      isDeleted: false,
    })
    expect(
      await db.select().from(wechatIdentities).where(eq(wechatIdentities.userId, person.userId)),
    ).toEqual([])
    const held = await db.select().from(bookings).where(eq(bookings.userId, person.userId))
    expect(Object.fromEntries(held.map((b) => [b.slotId, b.status]))).toEqual({
      [started.id]: 'booked',
      [upcoming.id]: 'cancelled',
    })
    const places = await db.select({ id: slots.id, booked: slots.booked }).from(slots)
    expect(Object.fromEntries(places.map((s) => [s.id, s.booked]))).toEqual({
      [started.id]: 1,
      [upcoming.id]: 0,
    })
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'user.erase'))
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actorType: 'staff',
      actorId: person.userId,
      target: `user:${person.userId}`,
    })
    // the entry says that an erasure happened, not what was erased
    expect(JSON.stringify(audit[0]!.detail)).not.toContain(staffPhone)
    expect(JSON.stringify(audit[0]!.detail)).not.toContain('要注销的人')

    // the token it was asked with is dead, on every route
    for (const url of ['/api/me', '/api/bookings/mine']) {
      const after = await h.app.inject({ method: 'GET', url, headers: person.auth() })
      expect(after.statusCode, url).toBe(401)
    }

    // the same WeChat user (same openid and unionid) opening the app again is someone new
    const again = await sendWxLogin(h.app, {
      code: h.sandbox.issueLoginCode({ appId: APP_ID, openid: person.openid, unionid: 'union-erase-1' }).code,
      appId: APP_ID,
    })
    expect(again.statusCode, again.body).toBe(200)
    const fresh = again.json<AuthResult>().user
    expect(fresh.id).not.toBe(person.userId)
    expect(fresh).toMatchObject({ role: 'user', nickname: null, avatarUrl: null, phone: null })

    // the number is free: another person binds it without taking it from anyone
    const other = await login(h)
    expect((await bindPhone(h, other, staffPhone)).user.role).toBe('staff')
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'phone.move'))).toEqual([])
  })

  it('answers 401 without a token, and a second DELETE with the same token is a 401', async () => {
    expect((await h.app.inject({ method: 'DELETE', url: '/api/me' })).statusCode).toBe(401)
    const person = await login(h)
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: person.auth() })
    expect(me.json<MeResponse>().user.id).toBe(person.userId)
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/me', headers: person.auth() })).statusCode,
    ).toBe(200)
    const second = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: person.auth() })
    expect(second.statusCode).toBe(401)
    expect(second.json().error.code).toBe('UNAUTHORIZED')
  })
})
