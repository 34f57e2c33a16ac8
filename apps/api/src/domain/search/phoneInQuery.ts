import { type Mobile, normalizeMobile } from '@yuyue/contracts'

/**
 * What a search box's text says about a phone: a whole number, or digits a number starts or ends
 * with (手机尾号), or nothing.
 */
export type PhoneInQuery = { whole: Mobile } | { digits: string } | null

/**
 * Reads `q` as a phone when it is digits (spaces, dashes, `+` and brackets aside), at least
 * `minDigits` of them: a whole number when it is one, else a part of one (its start or its tail).
 * The people's search and the staff directory's read it by this one rule.
 */
export function phoneInQuery(q: string, minDigits: number): PhoneInQuery {
  const digits = q.replace(/[\s\-+()]/g, '')
  if (digits.length < minDigits || !/^\d+$/.test(digits)) return null
  const whole = normalizeMobile(q)
  return whole ? { whole } : { digits }
}
