import { auditActions } from '@yuyue/contracts'
import { describe, expect, it } from 'vitest'
import { en } from '../../app/i18n/en'
import { zh } from '../../app/i18n/zh'
import { actorLabel, detailText, targetLabel } from './auditLabels'

describe('audit labels', () => {
  it('has words for every action the API writes, in both languages', () => {
    for (const action of auditActions) {
      expect(zh.auditActions[action]).toBeTruthy()
      expect(en.auditActions[action]).toBeTruthy()
    }
  })

  it('names actors and targets', () => {
    expect(actorLabel('admin:alice', zh)).toBe('管理员 alice')
    expect(actorLabel('user:7', zh)).toBe('用户 #7')
    expect(actorLabel('staff:3', en)).toBe('staff #3')
    expect(actorLabel('system', zh)).toBe('系统')
    expect(targetLabel('user:7', zh)).toBe('用户 #7')
    expect(targetLabel('slots:3-9', zh)).toBe('时段 #3 – #9')
    expect(targetLabel('staff:138****8000', zh)).toBe('工作人员 138****8000')
    expect(targetLabel('staff_directory', zh)).toBe('工作人员名录')
    expect(targetLabel('something:new', zh)).toBe('something:new')
  })

  it('puts the detail into words, keeping keys it does not know', () => {
    expect(detailText({ rows: 12, inserted: 8, promoted: 1, invalid: 0 }, zh)).toBe(
      '行数 12 · 新增 8 · 升级 1 · 无效 0',
    )
    expect(
      detailText({ count: 2, times: [{ start: '09:00', end: '10:00' }], title: '门诊', extra: true }, zh),
    ).toBe('数量 2 · 时间段 09:00–10:00 · 标题 门诊 · extra true')
    const times = [
      { start: '09:00', end: '10:00' },
      { start: '14:00', end: '15:00' },
    ]
    expect(detailText({ times }, zh)).toBe('时间段 09:00–10:00、14:00–15:00')
    expect(detailText({ times }, en)).toBe('times 09:00–10:00, 14:00–15:00')
    expect(detailText(null, zh)).toBe('')
  })
})
