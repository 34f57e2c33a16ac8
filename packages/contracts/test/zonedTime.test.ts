import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  addDays,
  dayRange,
  isKnownTimeZone,
  isRealDate,
  localClock,
  localDate,
  localDateTime,
  setVenueTimeZone,
  venueTimeZone,
  weekdayOf,
  zonedToUtc,
} from '../src/zonedTime'

describe('zoned time', () => {
  it('reads Shanghai wall-clock times as UTC instants', () => {
    expect(zonedToUtc('2026-12-01', '00:30', 'Asia/Shanghai').toISOString()).toBe('2026-11-30T16:30:00.000Z')
    expect(zonedToUtc('2026-12-01', '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-12-01T01:00:00.000Z')
  })

  it('gives the Shanghai date of an instant', () => {
    expect(localDate(new Date('2026-11-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-01')
    expect(localDate(new Date('2026-11-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-30')
  })

  it('handles daylight saving changes', () => {
    // New York springs forward on 2026-03-08: the day has 23 hours
    const { start, end } = dayRange('2026-03-08', 'America/New_York')
    expect(start.toISOString()).toBe('2026-03-08T05:00:00.000Z')
    expect(end.toISOString()).toBe('2026-03-09T04:00:00.000Z')
    expect(zonedToUtc('2026-11-01', '12:00', 'America/New_York').toISOString()).toBe(
      '2026-11-01T17:00:00.000Z',
    )
  })

  it('knows real dates and adds days across months and years', () => {
    expect(isRealDate('2026-02-28')).toBe(true)
    expect(isRealDate('2026-02-29')).toBe(false)
    expect(isRealDate('2028-02-29')).toBe(true)
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('takes only days whose bounds the database can store', () => {
    expect(isRealDate('9998-12-31')).toBe(true)
    expect(dayRange('9998-12-31', 'Asia/Shanghai').end.toISOString()).toBe('9998-12-31T16:00:00.000Z')
    // its end would be in year 10000, which toISOString() writes as +010000-01-01
    expect(isRealDate('9999-12-31')).toBe(false)
    expect(isRealDate('9999-01-01')).toBe(false)
    expect(isRealDate('1001-01-01')).toBe(true)
    // in UTC its start is in year 999, below DATETIME's range
    expect(isRealDate('1000-01-01')).toBe(false)
    expect(isRealDate('0500-06-01')).toBe(false)
    expect(isRealDate('0050-01-01')).toBe(false)
  })

  it('reads the wall clock of an instant in the zone, across midnight', () => {
    expect(localClock('2026-11-22T16:30:00.000Z', 'Asia/Shanghai')).toBe('00:30')
    expect(localDate('2026-11-22T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-11-23')
    expect(localDateTime(Date.parse('2026-11-23T01:05:00Z'), 'Asia/Shanghai')).toBe('2026-11-23 09:05')
    expect(localDateTime('2026-11-23T01:05:00Z', 'America/New_York')).toBe('2026-11-22 20:05')
    expect(weekdayOf('2026-11-23')).toBe(1)
  })

  it('refuses a zone the platform does not know', () => {
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true)
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(() => localDate(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})

describe('zoned time on an engine without Intl zone data', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('still reads a zone that keeps one offset all year, and refuses one that does not', () => {
    vi.stubGlobal('Intl', {
      DateTimeFormat: () => {
        throw new RangeError('Unsupported time zone')
      },
    })
    // zones not read yet in this file, so nothing was cached with the real Intl
    expect(localDateTime('2026-11-22T16:30:00.000Z', 'Asia/Macau')).toBe('2026-11-23 00:30')
    expect(zonedToUtc('2026-12-01', '09:00', 'Asia/Taipei').toISOString()).toBe('2026-12-01T01:00:00.000Z')
    expect(isKnownTimeZone('Europe/Berlin')).toBe(false)
  })
})

describe("a client's venue zone", () => {
  it('is refused before it is set, then answers what was set', () => {
    expect(() => venueTimeZone()).toThrow(/GET \/api\/config/)
    setVenueTimeZone('America/New_York')
    expect(venueTimeZone()).toBe('America/New_York')
  })
})
