import { randomInt } from 'node:crypto'
import type { Browser, BrowserContext, Page } from '@playwright/test'
import { type AppConfigResponse, addDays, localClock, localDate } from '@yuyue/contracts'
import type { AdminApi } from './adminApi'
import { openApp } from './pages'

/** What a journey makes for itself through the API and the sandbox, so it needs no other journey. */

const APP_ID = 'wxdemo000000000001'
/** where the H5 build keeps "this phone's WeChat account" (src/platform/h5/devIdentity.ts) */
const OPENID_KEY = 'yuyue.sandbox.openid'

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

const api = (path: string) => `${process.env.YUYUE_API_URL}${path}`
const sandbox = (path: string) => `${process.env.YUYUE_SANDBOX_URL}${path}`

/** A mainland mobile number no other journey (or earlier run) is likely to hold. */
export function freshPhone(): string {
  return `159${String(randomInt(100_000_000)).padStart(8, '0')}`
}

export interface Person {
  id: number
  openid: string
  token: string
}

/** A person made as the app makes them: a silent login, then (optionally) a phone and a nickname. */
export async function createPerson(options: { phone?: string; nickname?: string } = {}): Promise<Person> {
  const { code, openid } = await post<{ code: string; openid: string }>(sandbox('/__sandbox/login-code'), {
    appId: APP_ID,
  })
  let login = await post<{ token: string; user: { id: number } }>(api('/api/auth/wx-login'), {
    code,
    appId: APP_ID,
  })
  if (options.phone) {
    const phone = await post<{ code: string }>(sandbox('/__sandbox/phone-code'), {
      appId: APP_ID,
      phoneNumber: options.phone,
      openid,
    })
    login = await post(api('/api/auth/phone'), { code: phone.code }, login.token)
  }
  if (options.nickname) {
    const response = await fetch(api('/api/me/profile'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ nickname: options.nickname }),
    })
    if (!response.ok) throw new Error(`POST /api/me/profile answered ${response.status}`)
  }
  return { id: login.user.id, openid, token: login.token }
}

export async function book(person: Person, slotId: number): Promise<void> {
  await post(api('/api/bookings'), { slotId }, person.token)
}

/** The app opened on this person's phone (their sandbox WeChat account). */
export function openAppAs(
  browser: Browser,
  person: Person,
  beforeOpening?: (page: Page) => Promise<unknown>,
): Promise<{ context: BrowserContext; page: Page }> {
  return openApp(browser, async (page) => {
    await page.addInitScript(
      ([key, openid]) => {
        if (!localStorage.getItem(key)) localStorage.setItem(key, openid)
      },
      [OPENID_KEY, person.openid] as const,
    )
    await beforeOpening?.(page)
  })
}

/** Today plus `days` at the venue (GET /api/config's zone). */
export async function venueDay(days: number): Promise<string> {
  const config = (await (await fetch(api('/api/config'))).json()) as AppConfigResponse
  return addDays(localDate(Date.now(), config.timeZone), days)
}

export interface OwnSlot {
  id: number
  /** `YYYY-MM-DD` */
  date: string
  /** days after today, 1-6 (the home page shows today and the next six) */
  days: number
  /** as the slot cell shows it: `14:00 - 15:00` */
  time: string
  /** the slot right after it, when two were asked for: `15:00 - 16:00` */
  next: string
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * One-hour slots of 2 places (`hours` of them, back to back) on a day and hours no slot holds
 * yet, within the days the home page shows, so a journey's slots are its own whatever ran before.
 */
export async function createOwnSlot(admin: AdminApi, options: { hours?: number } = {}): Promise<OwnSlot> {
  const hours = options.hours ?? 1
  for (let attempt = 0; attempt < 200; attempt++) {
    const days = 1 + randomInt(6)
    const hour = 6 + randomInt(16)
    const date = await venueDay(days)
    const taken = await admin.slotsOf(date)
    const start = `${pad(hour)}:00`
    const end = `${pad(hour + hours)}:00`
    if (taken.some((slot) => slot.start < end && slot.end > start)) continue
    const times = Array.from({ length: hours }, (_, i) => ({
      start: `${pad(hour + i)}:00`,
      end: `${pad(hour + i + 1)}:00`,
    }))
    const created = await admin.createSlots({ from: date, to: date, times, capacity: 2, title: '健康体检' })
    const shown = times.map((t) => `${t.start} - ${t.end}`)
    return { id: created.items[0]!.id, date, days, time: shown[0]!, next: shown[1] ?? '' }
  }
  throw new Error('no free hour in the next six days')
}

/**
 * A 5-minute slot of 2 places today, starting 10 to 25 minutes from now (the first free
 * five-minute step), so its check-in is open (30 minutes before the start, the default rule)
 * and several journeys each find one; null when none fits before midnight.
 */
export async function createSoonSlot(admin: AdminApi): Promise<OwnSlot | null> {
  const config = (await (await fetch(api('/api/config'))).json()) as AppConfigResponse
  const date = localDate(Date.now(), config.timeZone)
  const [hh, mm] = localClock(Date.now(), config.timeZone).split(':').map(Number)
  const taken = await admin.slotsOf(date)
  const clock = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`
  for (
    let from = Math.ceil((hh! * 60 + mm! + 10) / 5) * 5;
    from + 5 < 24 * 60 && from <= hh! * 60 + mm! + 25;
    from += 5
  ) {
    const [start, end] = [clock(from), clock(from + 5)]
    if (taken.some((slot) => slot.start < end && slot.end > start)) continue
    const created = await admin.createSlots({
      from: date,
      to: date,
      times: [{ start, end }],
      capacity: 2,
      title: '健康体检',
    })
    return { id: created.items[0]!.id, date, days: 0, time: `${start} - ${end}`, next: '' }
  }
  return null
}
