import { describe, expect, it } from 'vitest'
import { TOAST_ICON_TITLE_LIMIT, toastIconFor } from '@/platform/toastIcon'

describe('the toast icon, chosen so WeChat never truncates the title', () => {
  it.each([
    ['签到成功', 'success', 'success'],
    ['手机号验证成功', 'success', 'success'],
    ['已验证工作人员身份', 'success', 'none'],
    ['获取手机号失败，请稍后再试', 'error', 'none'],
    ['微信登录凭证无效或已过期,请重试', 'error', 'none'],
    ['预约失败', 'error', 'error'],
    ['未获得日历权限', 'none', 'none'],
  ] as const)('%s with %s → %s', (title, wanted, icon) => {
    expect(toastIconFor(title, wanted)).toBe(icon)
  })

  it('keeps the icon up to 7 characters and drops it from the 8th', () => {
    expect(TOAST_ICON_TITLE_LIMIT).toBe(7)
    expect(toastIconFor('一二三四五六七', 'success')).toBe('success')
    expect(toastIconFor('一二三四五六七八', 'success')).toBe('none')
  })

  it('counts characters, not UTF-16 units', () => {
    expect(toastIconFor('完成🎉🎉🎉🎉🎉', 'success')).toBe('success')
  })

  it('shows no icon unless one is asked for', () => {
    expect(toastIconFor('已取消')).toBe('none')
  })
})
