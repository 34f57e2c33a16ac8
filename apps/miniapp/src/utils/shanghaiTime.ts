/**
 * Times as people at the venue read them: Asia/Shanghai, which has been UTC+8 without daylight
 * saving since 1991. Shifting by the fixed offset avoids relying on Intl time zones, which some
 * mini-program JavaScript engines lack.
 */
const OFFSET_MS = 8 * 3600_000
const DAY_MS = 86_400_000
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

function shifted(instant: string | number | Date): Date {
  return new Date(new Date(instant).getTime() + OFFSET_MS)
}

/** `YYYY-MM-DD` of an instant, in Shanghai. */
export function shanghaiDate(instant: string | number | Date): string {
  const d = shifted(instant)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** `HH:mm` of an instant, in Shanghai. */
export function shanghaiClock(instant: string | number | Date): string {
  const d = shifted(instant)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** A `YYYY-MM-DD` day moved by `days`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const moved = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS)
  return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`
}

export function weekdayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!
}

/** `11月23日` */
export function monthDay(date: string): string {
  const [, m, d] = date.split('-').map(Number) as [number, number, number]
  return `${m}月${d}日`
}

/** 今天 / 明天 / 后天, else the weekday. */
export function relativeDayName(date: string, today: string): string {
  if (date === today) return '今天'
  if (date === addDays(today, 1)) return '明天'
  if (date === addDays(today, 2)) return '后天'
  return weekdayOf(date)
}

/** `11月23日 周一 09:00-10:00` */
export function slotWhen(startsAt: string, endsAt: string): string {
  const day = shanghaiDate(startsAt)
  return `${monthDay(day)} ${weekdayOf(day)} ${shanghaiClock(startsAt)}-${shanghaiClock(endsAt)}`
}

/** The days a person can pick from: today and the next `count - 1`. */
export function daysAhead(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(today, i))
}

/** Where a slot is in its time at `now` (ms): not started, under way, or over. */
export function slotPhase(
  slot: { startsAt: string; endsAt: string },
  now: number,
): 'upcoming' | 'started' | 'ended' {
  if (now < new Date(slot.startsAt).getTime()) return 'upcoming'
  return now < new Date(slot.endsAt).getTime() ? 'started' : 'ended'
}
