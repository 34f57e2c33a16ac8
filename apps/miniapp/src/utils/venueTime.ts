/**
 * Times as people at the venue read them: in the zone the API serves (GET /api/config, loaded at
 * launch by `VenueClock` before any page shows a time), whatever the phone is set to.
 */

import { addDays, localClock, localDate, weekdayOf, venueTimeZone as zone } from '@yuyue/contracts'

export { setVenueTimeZone } from '@yuyue/contracts'

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** `YYYY-MM-DD` of an instant, at the venue. */
export function venueDate(instant: string | number | Date): string {
  return localDate(instant, zone())
}

/** `HH:mm` of an instant, at the venue. */
export function venueClock(instant: string | number | Date): string {
  return localClock(instant, zone())
}

export { addDays }

export function weekdayName(date: string): string {
  return WEEKDAYS[weekdayOf(date)]!
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
  return weekdayName(date)
}

/** `11月23日 周一 09:00-10:00` */
export function slotWhen(startsAt: string, endsAt: string): string {
  const day = venueDate(startsAt)
  return `${monthDay(day)} ${weekdayName(day)} ${venueClock(startsAt)}-${venueClock(endsAt)}`
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
