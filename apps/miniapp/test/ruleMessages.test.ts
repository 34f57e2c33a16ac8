import { ApiError } from '@yuyue/contracts'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { refusalMessage, ruleMessage } from '@/services/ruleMessages'
import { setVenueTimeZone } from '@/utils/venueTime'

const rules = {
  bookingWindowDays: 7,
  cancelCutoffMinutes: 60,
  maxActivePerDay: 2,
  checkInOpensMinutesBefore: 30,
}
// 9:00 on 15 December in Shanghai
const slot = { startsAt: '2026-12-15T01:00:00.000Z' }

describe('the booking rule behind a refusal', () => {
  beforeEach(() => setVenueTimeZone('Asia/Shanghai'))

  it('words each rule from the values in force', () => {
    expect(ruleMessage('BOOKING_NOT_OPEN', rules, slot)).toBe('12月8日 00:00 开放预约（可提前 7 天预约）')
    expect(ruleMessage('DAILY_LIMIT_REACHED', rules, slot)).toBe('每天最多预约 2 个时段')
    expect(ruleMessage('CANCEL_TOO_LATE', rules, slot)).toBe('开始前 60 分钟内不能取消')
  })

  it('reads the rules only for a rule refusal, and falls back to the API’s message when it cannot', async () => {
    const readRules = vi.fn(async () => rules)
    expect(await refusalMessage(new ApiError('SLOT_FULL', '该时段已约满', 409), slot, readRules)).toBeNull()
    expect(readRules).not.toHaveBeenCalled()
    expect(await refusalMessage(new ApiError('CANCEL_TOO_LATE', 'x', 409), slot, readRules)).toEqual({
      title: '无法取消',
      message: '开始前 60 分钟内不能取消',
    })
    const offline = vi.fn(async () => {
      throw new Error('offline')
    })
    expect(
      await refusalMessage(new ApiError('DAILY_LIMIT_REACHED', '当天的预约数已达上限', 409), slot, offline),
    ).toEqual({ title: '无法预约', message: '当天的预约数已达上限' })
  })
})
