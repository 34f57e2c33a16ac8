import { describe, expect, it, vi } from 'vitest'
import { ensureScope } from '@/permissions/scope'
import { fakePlatform } from './fakePlatform'

const calendar = { scope: 'scope.addPhoneCalendar', purpose: '添加到手机日历' } as const

describe('the scope helper', () => {
  it('goes straight on when the scope was granted before', async () => {
    const platform = fakePlatform({ getSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': true })) })
    expect(await ensureScope(platform, calendar)).toBe('granted')
    expect(platform.authorize).not.toHaveBeenCalled()
    expect(platform.showModal).not.toHaveBeenCalled()
  })

  it('asks with authorize when the person was never asked', async () => {
    const platform = fakePlatform()
    expect(await ensureScope(platform, calendar)).toBe('granted')
    expect(platform.authorize).toHaveBeenCalledWith('scope.addPhoneCalendar')
  })

  it('a refusal right now is respected, without a second prompt', async () => {
    const platform = fakePlatform({ authorize: vi.fn(async () => false) })
    expect(await ensureScope(platform, calendar)).toBe('refused')
    expect(platform.showModal).not.toHaveBeenCalled()
    expect(platform.openSetting).not.toHaveBeenCalled()
  })

  it('after an earlier refusal, a modal leads to the settings page, where the person may allow it', async () => {
    const platform = fakePlatform({
      getSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': false })),
      openSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': true })),
    })
    expect(await ensureScope(platform, calendar)).toBe('granted')
    expect(platform.authorize).not.toHaveBeenCalled()
    expect(platform.showModal).toHaveBeenCalledWith(
      expect.objectContaining({ confirmText: '去设置', content: expect.stringContaining('添加到手机日历') }),
    )
    expect(platform.openSetting).toHaveBeenCalledTimes(1)
  })

  it('after an earlier refusal, declining the modal or leaving settings unchanged is a refusal', async () => {
    const declined = fakePlatform({
      getSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': false })),
      showModal: vi.fn(async () => false),
    })
    expect(await ensureScope(declined, calendar)).toBe('refused')
    expect(declined.openSetting).not.toHaveBeenCalled()

    const unchanged = fakePlatform({
      getSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': false })),
      openSetting: vi.fn(async () => ({ 'scope.addPhoneCalendar': false })),
    })
    expect(await ensureScope(unchanged, calendar)).toBe('refused')
  })
})
