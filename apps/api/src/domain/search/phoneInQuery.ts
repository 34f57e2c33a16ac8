import { type Mobile, normalizeMobile } from '@yuyue/contracts'

/** What a search box's text says about a phone: a whole number, the digits it starts with, or nothing. */
export type PhoneInQuery = { whole: Mobile } | { prefix: string } | null

/**
 * Reads `q` as a phone when it is digits (spaces, dashes, `+` and brackets aside), at least
 * `minDigits` of them: a whole number when it is one, else the start of one. The people's search
 * and the staff directory's read it by this one rule.
 */
export function phoneInQuery(q: string, minDigits: number): PhoneInQuery {
  const digits = q.replace(/[\s\-+()]/g, '')
  if (digits.length < minDigits || !/^\d+$/.test(digits)) return null
  const whole = normalizeMobile(q)
  return whole ? { whole } : { prefix: digits }
}
