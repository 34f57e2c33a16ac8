import { localClock } from '@yuyue/contracts'
import { ADMIN } from './global-setup'

/** The admin API, as the dashboard would call it: slots, staff import, disabling a person. */
export class AdminApi {
  private constructor(
    private readonly base: string,
    private readonly token: string,
  ) {}

  static async login(base = process.env.YUYUE_API_URL!): Promise<AdminApi> {
    const response = await fetch(`${base}/api/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    })
    if (!response.ok) throw new Error(`admin login answered ${response.status}: ${await response.text()}`)
    const { token } = (await response.json()) as { token: string }
    return new AdminApi(base, token)
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
    return JSON.parse(text) as T
  }

  createSlots(input: {
    from: string
    to: string
    times: { start: string; end: string }[]
    capacity: number
    title: string
  }) {
    return this.call<{ items: { id: number }[] }>('POST', '/api/admin/slots', input)
  }

  /** The day's slots as wall-clock times at the venue (`HH:mm`). */
  async slotsOf(date: string): Promise<{ start: string; end: string }[]> {
    const { timeZone } = (await (await fetch(`${this.base}/api/config`)).json()) as { timeZone: string }
    const { items } = await this.call<{ items: { startsAt: string; endsAt: string }[] }>(
      'GET',
      `/api/admin/slots?date=${date}`,
    )
    const clock = (instant: string) => localClock(instant, timeZone)
    // a slot ending at midnight ends at 24:00 of its day
    return items.map((slot) => ({
      start: clock(slot.startsAt),
      end: clock(slot.endsAt) === '00:00' ? '24:00' : clock(slot.endsAt),
    }))
  }

  /** Withdraws a slot (its bookings cancelled): no longer listed to anyone. */
  withdrawSlot(slotId: number, reason: string) {
    return this.call<unknown>('POST', `/api/admin/slots/${slotId}/cancel`, { reason })
  }

  importStaff(rows: { mobile: string; name?: string }[]) {
    return this.call<{ inserted: number; promoted: number }>('POST', '/api/admin/staff/import', { rows })
  }

  removeStaff(mobile: string) {
    return this.call<{ removed: boolean; demoted: number }>('DELETE', `/api/admin/staff/${mobile}`)
  }

  async userByMobile(mobile: string) {
    const page = await this.call<{
      items: { id: number; mobile: string | null; role: string; isDeleted: boolean }[]
    }>('GET', `/api/admin/users?q=${encodeURIComponent(mobile)}`)
    const user = page.items.find((item) => item.mobile === mobile)
    if (!user) throw new Error(`no user with mobile ${mobile}`)
    return user
  }

  setDisabled(userId: number, isDeleted: boolean) {
    return this.call<{ id: number; isDeleted: boolean }>('PATCH', `/api/admin/users/${userId}`, { isDeleted })
  }
}
