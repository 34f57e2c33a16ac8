import { ApiError } from '@yuyue/contracts'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { VenueClock } from '@/session/venueClock'
import {
  addDays,
  daysAhead,
  relativeDayName,
  setVenueTimeZone,
  slotPhase,
  slotWhen,
  venueClock,
  venueDate,
} from '@/utils/venueTime'

describe('times at a venue in Asia/Shanghai', () => {
  beforeEach(() => setVenueTimeZone('Asia/Shanghai'))

  it('reads UTC instants as the wall clock in Shanghai, across midnight', () => {
    expect(venueDate('2026-11-22T16:30:00.000Z')).toBe('2026-11-23')
    expect(venueClock('2026-11-22T16:30:00.000Z')).toBe('00:30')
    expect(venueClock('2026-11-23T01:00:00Z')).toBe('09:00')
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

describe('the venue clock', () => {
  it("reads the venue's days and times in the zone the API serves, not a fixed one", async () => {
    const clock = new VenueClock(async () => ({ timeZone: 'America/New_York' }))
    await clock.load()
    expect(clock.state.get()).toEqual({ status: 'ready', timeZone: 'America/New_York' })
    expect(venueDate('2026-11-23T01:00:00Z')).toBe('2026-11-22')
    expect(slotWhen('2026-11-23T01:00:00Z', '2026-11-23T02:00:00Z')).toBe('11月22日 周日 20:00-21:00')
  })

  it('asks the API once per launch, and again after a failure', async () => {
    const fetchConfig = vi
      .fn<() => Promise<{ timeZone: string }>>()
      .mockRejectedValueOnce(new ApiError('INTERNAL', '服务器内部错误', 500))
      .mockResolvedValue({ timeZone: 'Asia/Shanghai' })
    const clock = new VenueClock(fetchConfig)
    await expect(clock.load()).rejects.toThrow()
    expect(clock.state.get()).toEqual({ status: 'failed', message: '服务器内部错误' })
    await Promise.all([clock.load(), clock.load()])
    expect(fetchConfig).toHaveBeenCalledTimes(2)
    expect(clock.state.get()).toEqual({ status: 'ready', timeZone: 'Asia/Shanghai' })
  })
})
