import { randomInt } from 'node:crypto'
import {
  type AdminSlotsResponse,
  type AdminStats,
  type AppConfigResponse,
  addDays,
  type BookingSettings,
  localClock,
  localDate,
  type StaffImportResult,
} from '@yuyue/contracts'
import { E2E_ADMIN, e2eEnv } from './env'

async function call<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${e2eEnv.apiUrl}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

/** The admin API as the dashboard calls it, for a journey to make the data it needs. */
export class AdminApi {
  private constructor(private readonly token: string) {}

  static async login(): Promise<AdminApi> {
    const { token } = await call<{ token: string }>('POST', '/api/admin/auth/login', { body: E2E_ADMIN })
    return new AdminApi(token)
  }

  importStaff(rows: { mobile: string; name?: string; note?: string }[]) {
    return call<StaffImportResult>('POST', '/api/admin/staff/import', { token: this.token, body: { rows } })
  }

  /** Removes a number from the directory; a number not there is left as it is. */
  async removeStaff(mobile: string): Promise<void> {
    const response = await fetch(`${e2eEnv.apiUrl}/api/admin/staff/${encodeURIComponent(mobile)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${this.token}` },
    })
    if (!response.ok && response.status !== 404)
      throw new Error(`removing ${mobile} answered ${response.status}`)
  }

  setDisabled(userId: number, isDeleted: boolean) {
    return call('PATCH', `/api/admin/users/${userId}`, { token: this.token, body: { isDeleted } })
  }

  slots(from: string, to: string) {
    return call<AdminSlotsResponse>('GET', `/api/admin/slots?from=${from}&to=${to}`, { token: this.token })
  }

  createSlot(day: string, start: string, end: string, title: string, capacity = 5) {
    return call<AdminSlotsResponse>('POST', '/api/admin/slots', {
      token: this.token,
      body: { from: day, to: day, times: [{ start, end }], capacity, title },
    }).then((created) => created.items[0]!)
  }

  settings() {
    return call<BookingSettings>('GET', '/api/admin/settings', { token: this.token })
  }

  saveSettings(settings: BookingSettings) {
    return call<BookingSettings>('PUT', '/api/admin/settings', { token: this.token, body: settings })
  }

  stats() {
    return call<AdminStats>('GET', '/api/admin/stats', { token: this.token })
  }
}

/** The venue's zone, as every client reads it. */
export async function venueZone(): Promise<string> {
  return (await call<AppConfigResponse>('GET', '/api/config')).timeZone
}

/** Today plus `days` in the venue's zone (GET /api/config), as YYYY-MM-DD. */
export async function venueDay(days = 0): Promise<string> {
  const { timeZone } = await call<AppConfigResponse>('GET', '/api/config')
  return addDays(localDate(Date.now(), timeZone), days)
}

/** A mainland mobile number no other journey (or earlier run) is likely to hold. */
export function freshPhone(): string {
  return `159${String(randomInt(100_000_000)).padStart(8, '0')}`
}

/** A short tag that tells this run's names from an earlier run's. */
export function runTag(): string {
  return String(randomInt(10_000)).padStart(4, '0')
}

/**
 * An afternoon hour (13:00-22:00) of a day inside the default booking window (1-6 days ahead)
 * where no slot lies yet, so a journey can create a slot people may book now.
 */
export async function freeHourSoon(admin: AdminApi): Promise<{ day: string; start: string; end: string }> {
  const timeZone = await venueZone()
  for (;;) {
    const day = await venueDay(1 + randomInt(6))
    const hour = 13 + randomInt(9)
    const [start, end] = [`${hour}:00`, `${hour + 1}:00`]
    const taken = (await admin.slots(day, day)).items.some(
      (slot) => localClock(slot.startsAt, timeZone) < end && localClock(slot.endsAt, timeZone) > start,
    )
    if (!taken) return { day, start, end }
  }
}
