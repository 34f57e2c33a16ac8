import { describe, expect, it } from 'vitest'
import { addDays, dayRange, isRealDate, localDate, zonedToUtc } from '../src/domain/time/zonedTime'

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
})
