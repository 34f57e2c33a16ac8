import type { AdminSlot, AdminSlotsResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { expect } from 'vitest'
import { bearer, bindPhone, login, type Person } from './actors'
import { shanghaiDate } from './clock'
import type { Harness } from './harness'

/** Noon in Shanghai today: a day "ahead" never straddles midnight while a test runs. */
export function shanghaiNoon(): Date {
  return new Date(`${shanghaiDate(new Date())}T04:00:00.000Z`)
}

/** The admin creates slots on one day (times in APP_TIMEZONE). */
export async function createSlotsOn(
  h: Harness,
  admin: string,
  date: string,
  times: { start: string; end: string }[],
  options: { capacity?: number; title?: string } = {},
): Promise<AdminSlot[]> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/admin/slots',
    headers: bearer(admin),
    payload: { from: date, to: date, times, capacity: options.capacity ?? 5, title: options.title ?? '体检' },
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AdminSlotsResponse>().items
}

/** A person who logged in and bound this phone; the nickname as WeChat's review let them save it. */
export async function personWithPhone(h: Harness, phone: string, nickname?: string): Promise<Person> {
  const person = await login(h)
  await bindPhone(h, person, phone)
  if (nickname)
    await h.app.db.execute(sql`UPDATE users SET nickname = ${nickname} WHERE id = ${person.userId}`)
  return person
}
