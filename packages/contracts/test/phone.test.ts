import { describe, expect, it } from 'vitest'
import { maskMobile, mobileKey, normalizeMobile, parseMobileKey } from '../src/phone'

describe('normalizeMobile', () => {
  it.each([
    '+86 138-0013-8000',
    '8613800138000',
    '138 0013 8000',
    '13800138000',
    '008613800138000',
    '(138) 0013.8000',
    '１３８００１３８０００',
    '＋８６１３８００１３８０００',
    ' 13800138000\u00a0',
  ])('reads %j as 86 / 13800138000', (input) => {
    expect(normalizeMobile(input)).toEqual({ countryCode: '86', number: '13800138000' })
  })

  it('accepts a number typed as a number (spreadsheet cells)', () => {
    expect(normalizeMobile(13800138000)).toEqual({ countryCode: '86', number: '13800138000' })
  })

  it.each([
    ['+852 5123 4567', { countryCode: '852', number: '51234567' }],
    ['+1 415 555 2671', { countryCode: '1', number: '4155552671' }],
    ['00886912345678', { countryCode: '886', number: '912345678' }],
    ['+44 7911 123456', { countryCode: '44', number: '7911123456' }],
  ])('reads international %j', (input, expected) => {
    expect(normalizeMobile(input)).toEqual(expected)
  })

  it.each([
    '',
    '   ',
    '12800138000', // second digit 2 is not a mainland mobile prefix
    '1380013800', // ten digits
    '138001380001', // twelve digits
    '+86 12800138000',
    '51234567', // foreign number without a country code
    '+999 1234567', // no such calling code
    '+852 12', // too short
    'abc13800138000',
    '138-0013-8000x',
    '+86 138 0013 8000 ext 12',
    '1'.repeat(40),
  ])('refuses %j', (input) => {
    expect(normalizeMobile(input)).toBeNull()
  })
})

describe('maskMobile', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskMobile({ countryCode: '86', number: '13800138000' })).toBe('138****8000')
    expect(maskMobile('51234567')).toBe('512****4567')
  })

  it('hides all but the last two digits of a short number', () => {
    expect(maskMobile('123456')).toBe('****56')
  })
})

describe('mobileKey', () => {
  it('is the national number for 86 and <cc>-<number> otherwise, and parses back', () => {
    const mainland = { countryCode: '86', number: '13800138000' }
    const hk = { countryCode: '852', number: '51234567' }
    expect(mobileKey(mainland)).toBe('13800138000')
    expect(mobileKey(hk)).toBe('852-51234567')
    expect(parseMobileKey('13800138000')).toEqual(mainland)
    expect(parseMobileKey('852-51234567')).toEqual(hk)
    expect(parseMobileKey('86-13800138000')).toEqual(mainland)
    expect(parseMobileKey('12345')).toBeNull()
    expect(parseMobileKey('86-12345')).toBeNull()
  })
})
