import type { Booking } from '@yuyue/contracts'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  askForSubscriptions,
  canSetReminder,
  kindsForBooking,
  rememberSubscribeTemplates,
  reminderLabel,
} from '@/services/subscriptions'
import { fakePlatform } from './fakePlatform'

const NOW = Date.parse('2026-12-07T04:00:00Z')

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 7,
    status: 'booked',
    createdAt: '2026-12-07T03:00:00.000Z',
    cancelledAt: null,
    checkedInAt: null,
    cancelledBy: null,
    cancelReason: null,
    reminder: 'none',
    slot: { id: 3, startsAt: '2026-12-08T01:00:00.000Z', endsAt: '2026-12-08T02:00:00.000Z', title: '体检' },
    ...overrides,
  }
}

beforeEach(() => rememberSubscribeTemplates({ reminder: 'tmplR', cancelled: 'tmplC' }))

describe('asking for subscribe messages', () => {
  it('opens the sheet synchronously, before anything is awaited (a tap-only API)', () => {
    const platform = fakePlatform()
    void askForSubscriptions(platform, ['reminder', 'cancelled'])
    // no await above: WeChat refuses the sheet once the tap's synchronous span is over
    expect(platform.requestSubscribeMessage).toHaveBeenCalledWith(['tmplR', 'tmplC'])
  })

  it('resolves the kinds accepted, and none when the sheet fails', async () => {
    const platform = fakePlatform({
      requestSubscribeMessage: vi.fn(async () => ({ tmplR: 'accept' as const, tmplC: 'reject' as const })),
    })
    expect(await askForSubscriptions(platform, ['reminder', 'cancelled'])).toEqual(['reminder'])
    const failing = fakePlatform({
      requestSubscribeMessage: vi.fn(async () => Promise.reject(new Error('x'))),
    })
    expect(await askForSubscriptions(failing, ['reminder'])).toEqual([])
  })

  it('asks for nothing the API does not offer', async () => {
    rememberSubscribeTemplates({ cancelled: 'tmplC' })
    const platform = fakePlatform()
    await askForSubscriptions(platform, ['reminder', 'cancelled'])
    expect(platform.requestSubscribeMessage).toHaveBeenCalledWith(['tmplC'])
    rememberSubscribeTemplates({})
    const none = fakePlatform()
    expect(await askForSubscriptions(none, ['reminder', 'cancelled'])).toEqual([])
    expect(none.requestSubscribeMessage).not.toHaveBeenCalled()
  })

  it('asks for a reminder only for a slot more than 10 minutes away', () => {
    expect(kindsForBooking(new Date(NOW + 11 * 60_000).toISOString(), NOW)).toEqual(['reminder', 'cancelled'])
    expect(kindsForBooking(new Date(NOW + 9 * 60_000).toISOString(), NOW)).toEqual(['cancelled'])
  })
})

describe('the reminder in 我的预约', () => {
  it('says whether one is set, sent or failed', () => {
    expect(reminderLabel(booking())).toBe('未设提醒')
    expect(reminderLabel(booking({ reminder: 'pending' }))).toBe('已设提醒')
    expect(reminderLabel(booking({ reminder: 'sent' }))).toBe('提醒已发送')
    expect(reminderLabel(booking({ reminder: 'failed' }))).toBe('提醒发送失败')
    expect(reminderLabel(booking({ status: 'cancelled' }))).toBeNull()
  })

  it('offers 设置提醒 for a standing booking without one, while it can still be sent', () => {
    expect(canSetReminder(booking(), NOW)).toBe(true)
    expect(canSetReminder(booking({ reminder: 'pending' }), NOW)).toBe(false)
    expect(canSetReminder(booking({ status: 'cancelled' }), NOW)).toBe(false)
    const soon = booking({ slot: { ...booking().slot, startsAt: new Date(NOW + 5 * 60_000).toISOString() } })
    expect(canSetReminder(soon, NOW)).toBe(false)
    rememberSubscribeTemplates({})
    expect(canSetReminder(booking(), NOW)).toBe(false)
  })
})
