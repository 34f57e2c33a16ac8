/**
 * Wall-clock dates and times in APP_TIMEZONE ⇄ UTC instants, with the platform's time zone data
 * (Intl) and no library. Days are `YYYY-MM-DD`, times `HH:mm` (`24:00` is the next midnight).
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

function wallClock(instant: Date, timeZone: string) {
  const parts: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number }
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms. */
function offsetAt(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000
}

function parseDate(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number)
  return [y!, m!, d!]
}

/**
 * The years a day may fall in: what MySQL's DATETIME holds (1000-9999), less a year at each end,
 * so a day's bounds stay storable once the zone's offset moves them to UTC and its end is the
 * next midnight (9999-12-31 would end in year 10000).
 */
const FIRST_YEAR = 1001
const LAST_YEAR = 9998

/** Whether `YYYY-MM-DD` names a real calendar day (2026-02-30 does not) in the years slots may use. */
export function isRealDate(date: string): boolean {
  const [y, m, d] = parseDate(date)
  if (!(y >= FIRST_YEAR && y <= LAST_YEAR)) return false
  const probe = new Date(Date.UTC(y, m - 1, d))
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d
}

/** The instant at which the zone's clocks show `date time`. */
export function zonedToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = parseDate(date)
  const [hh, mm] = time.split(':').map(Number)
  const naive = Date.UTC(y, m - 1, d, hh!, mm!)
  // the offset may differ on either side of a DST change: settle it in two steps
  const first = naive - offsetAt(new Date(naive), timeZone)
  return new Date(naive - offsetAt(new Date(first), timeZone))
}

/** The zone's calendar day of an instant. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date)
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** [start, end) of a calendar day in the zone, as UTC instants. */
export function dayRange(date: string, timeZone: string): { start: Date; end: Date } {
  return { start: zonedToUtc(date, '00:00', timeZone), end: zonedToUtc(addDays(date, 1), '00:00', timeZone) }
}

export function daysBetween(from: string, to: string): number {
  const [a, b] = [parseDate(from), parseDate(to)]
  return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000)
}
