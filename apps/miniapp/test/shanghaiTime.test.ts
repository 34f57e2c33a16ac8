import { describe, expect, it } from 'vitest'
import {
  addDays,
  daysAhead,
  relativeDayName,
  shanghaiClock,
  shanghaiDate,
  slotPhase,
  slotWhen,
} from '@/utils/shanghaiTime'

describe('Asia/Shanghai times', () => {
  it('reads UTC instants as the wall clock in Shanghai, across midnight', () => {
    expect(shanghaiDate('2026-11-22T16:30:00.000Z')).toBe('2026-11-23')
    expect(shanghaiClock('2026-11-22T16:30:00.000Z')).toBe('00:30')
    expect(shanghaiClock('2026-11-23T01:00:00Z')).toBe('09:00')
  })

  it('moves days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(daysAhead('2026-11-29', 3)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01'])
  })

  it('names the days ahead as people say them', () => {
    expect(relativeDayName('2026-11-22', '2026-11-22')).toBe('今天')
    expect(relativeDayName('2026-11-23', '2026-11-22')).toBe('明天')
    expect(relativeDayName('2026-11-24', '2026-11-22')).toBe('后天')
    expect(relativeDayName('2026-11-25', '2026-11-22')).toBe('周三')
  })

  it('describes a slot in one line', () => {
    expect(slotWhen('2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z')).toBe('11月23日 周一 09:00-10:00')
  })

  it('tells a slot not started from one under way and one over', () => {
    const slot = { startsAt: '2026-11-23T01:00:00.000Z', endsAt: '2026-11-23T02:00:00.000Z' }
    expect(slotPhase(slot, Date.parse('2026-11-23T00:59:59.999Z'))).toBe('upcoming')
    expect(slotPhase(slot, Date.parse('2026-11-23T01:00:00.000Z'))).toBe('started')
    expect(slotPhase(slot, Date.parse('2026-11-23T01:30:00.000Z'))).toBe('started')
    expect(slotPhase(slot, Date.parse('2026-11-23T02:00:00.000Z'))).toBe('ended')
  })
})
