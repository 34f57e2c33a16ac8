import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { CreateSlotsBody, ErrorEnvelope, ProfileBody, StaffImportBody, WxLoginBody } from '../src'

describe('request schemas', () => {
  it('require a login code and refuse unknown fields', () => {
    const check = Compile(WxLoginBody)
    expect(check.Check({ code: 'abc' })).toBe(true)
    expect(check.Check({ code: '' })).toBe(false)
    expect(check.Check({ code: 'abc', extra: 1 })).toBe(false)
    expect(check.Check({ code: 42 })).toBe(false)
  })

  it('refuse a blank or control-character nickname, and any avatar URL in a profile update', () => {
    const check = Compile(ProfileBody)
    expect(check.Check({ nickname: '小明' })).toBe(true)
    expect(check.Check({ nickname: '   ' })).toBe(false)
    expect(check.Check({ nickname: 'a\u0007b' })).toBe(false)
    expect(check.Check({ nickname: 'x'.repeat(33) })).toBe(false)
    expect(check.Check({})).toBe(false)
    expect(check.Check({ nickname: '小明', avatarUrl: 'https://example.com/a.png' })).toBe(false)
    expect(check.Check({ avatarUrl: 'https://example.com/a.png' })).toBe(false)
  })

  it('bound a staff import to 5000 rows', () => {
    const check = Compile(StaffImportBody)
    const row = { mobile: '13800138000' }
    expect(check.Check({ rows: Array.from({ length: 5000 }, () => row) })).toBe(true)
    expect(check.Check({ rows: Array.from({ length: 5001 }, () => row) })).toBe(false)
    expect(check.Check({ rows: [] })).toBe(false)
  })

  it('read slot times as HH:mm', () => {
    const check = Compile(CreateSlotsBody)
    const body = { from: '2026-12-01', to: '2026-12-02', capacity: 5, title: '体检' }
    expect(check.Check({ ...body, times: [{ start: '09:00', end: '10:00' }] })).toBe(true)
    expect(check.Check({ ...body, times: [{ start: '23:00', end: '24:00' }] })).toBe(true)
    expect(check.Check({ ...body, times: [{ start: '9:00', end: '10:00' }] })).toBe(false)
    expect(check.Check({ ...body, from: '2026-13-01', times: [{ start: '09:00', end: '10:00' }] })).toBe(
      false,
    )
  })

  it('describe the error envelope', () => {
    const check = Compile(ErrorEnvelope)
    expect(check.Check({ error: { code: 'USER_DISABLED', message: 'x', requestId: 'r' } })).toBe(true)
    expect(check.Check({ error: { code: 'NOPE', message: 'x', requestId: 'r' } })).toBe(false)
  })
})
