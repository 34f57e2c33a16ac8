/**
 * The one time rule of the API, the dashboard and the mini-program: wall-clock days and times in
 * the venue's zone (APP_TIMEZONE, served by GET /api/config) ⇄ UTC instants, with the platform's
 * time zone data (Intl) and no library. Days are `YYYY-MM-DD`, times `HH:mm` (`24:00` is the next
 * midnight).
 */

type Instant = Date | string | number

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/**
 * Zones that keep one offset all year, for a JavaScript engine without Intl's zone data (ECMA-402
 * makes named zones optional, and some mini-program engines lack them): minutes ahead of UTC.
 */
const FIXED_OFFSET_MINUTES: Record<string, number> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  'Asia/Taipei': 480,
  'Asia/Singapore': 480,
  'Asia/Tokyo': 540,
  'Asia/Seoul': 540,
  UTC: 0,
  'Etc/UTC': 0,
}

type ReadWallClock = (instant: Date) => WallClock

const readers = new Map<string, ReadWallClock>()

function intlReader(timeZone: string): ReadWallClock | null {
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    if (typeof format.formatToParts !== 'function') return null
  } catch {
    return null
  }
  return (instant) => {
    const parts: Record<string, number> = {}
    for (const part of format.formatToParts(instant)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value)
    }
    return parts as unknown as WallClock
  }
}

function fixedReader(offsetMinutes: number): ReadWallClock {
  return (instant) => {
    const shifted = new Date(instant.getTime() + offsetMinutes * 60_000)
    return {
      year: shifted.getUTCFullYear(),
      month: shifted.getUTCMonth() + 1,
      day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(),
      minute: shifted.getUTCMinutes(),
      second: shifted.getUTCSeconds(),
    }
  }
}

function reader(timeZone: string): ReadWallClock {
  let read = readers.get(timeZone)
  if (!read) {
    const fixed = FIXED_OFFSET_MINUTES[timeZone]
    read = intlReader(timeZone) ?? (fixed === undefined ? undefined : fixedReader(fixed))
    if (!read) throw new RangeError(`Unknown time zone: ${timeZone}`)
    readers.set(timeZone, read)
  }
  return read
}

/** Whether the platform can show times in that zone (an IANA name it knows). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    reader(timeZone)
    return true
  } catch {
    return false
  }
}

function wallClock(instant: Instant, timeZone: string): WallClock {
  return reader(timeZone)(new Date(instant))
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
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

/** The zone's calendar day of an instant: `2026-12-01`. */
export function localDate(instant: Instant, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`
}

/** The zone's wall-clock time of an instant: `09:30`. */
export function localClock(instant: Instant, timeZone: string): string {
  const w = wallClock(instant, timeZone)
  return `${pad(w.hour)}:${pad(w.minute)}`
}

/** `2026-12-01 09:30` in the zone. */
export function localDateTime(instant: Instant, timeZone: string): string {
  return `${localDate(instant, timeZone)} ${localClock(instant, timeZone)}`
}

/** A `YYYY-MM-DD` day moved by `days`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date)
  const moved = new Date(Date.UTC(y, m - 1, d + days))
  return `${moved.getUTCFullYear()}-${pad(moved.getUTCMonth() + 1)}-${pad(moved.getUTCDate())}`
}

/** The day of the week of a `YYYY-MM-DD` day: 0 is Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = parseDate(date)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

/** [start, end) of a calendar day in the zone, as UTC instants. */
export function dayRange(date: string, timeZone: string): { start: Date; end: Date } {
  return { start: zonedToUtc(date, '00:00', timeZone), end: zonedToUtc(addDays(date, 1), '00:00', timeZone) }
}

export function daysBetween(from: string, to: string): number {
  const [a, b] = [parseDate(from), parseDate(to)]
  return Math.round((Date.UTC(b[0], b[1] - 1, b[2]) - Date.UTC(a[0], a[1] - 1, a[2])) / 86_400_000)
}

let venueZone: string | null = null

/** A client's venue zone, from GET /api/config: set once, before any page shows a day or a time. */
export function setVenueTimeZone(timeZone: string): void {
  venueZone = timeZone
}

/** The zone set by `setVenueTimeZone`; reading it before is a bug in the client's start-up. */
export function venueTimeZone(): string {
  if (!venueZone) throw new Error('the venue time zone is read from GET /api/config before any page renders')
  return venueZone
}
