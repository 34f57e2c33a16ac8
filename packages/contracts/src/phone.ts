/**
 * Phone numbers in one canonical form: a country calling code ("86") and the national number
 * ("13800138000"). Imports, WeChat answers and admin input all go through `normalizeMobile`, so
 * `+86 138-0013-8000`, `8613800138000` and `138 0013 8000` are the same person.
 */
export interface Mobile {
  countryCode: string
  number: string
}

export const DEFAULT_COUNTRY_CODE = '86'
const MAINLAND = /^1[3-9]\d{9}$/

// ITU calling codes (prefix-free, so the first match while reading digits is the only one).
const CALLING_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 ' +
    '64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 ' +
    '228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 ' +
    '252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 ' +
    '352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 ' +
    '389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 ' +
    '670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 ' +
    '855 856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 ' +
    '995 996 998'
  ).split(' '),
)

/** Full-width digits and plus signs (typed with a Chinese IME) become ASCII. */
function toAscii(input: string): string {
  return input.replace(/[０-９＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

function splitInternational(digits: string): Mobile | null {
  for (let len = 1; len <= 3 && len < digits.length; len++) {
    const countryCode = digits.slice(0, len)
    if (!CALLING_CODES.has(countryCode)) continue
    const number = digits.slice(len)
    return validate({ countryCode, number })
  }
  return null
}

function validate(mobile: Mobile): Mobile | null {
  if (mobile.countryCode === DEFAULT_COUNTRY_CODE) return MAINLAND.test(mobile.number) ? mobile : null
  const total = mobile.countryCode.length + mobile.number.length
  return /^\d{4,14}$/.test(mobile.number) && total <= 15 ? mobile : null
}

/**
 * Reads a phone number as people write it. Without a `+` (or `00`) prefix only mainland numbers
 * are accepted, with or without the leading 86; other countries must be written with their code.
 */
export function normalizeMobile(input: string | number): Mobile | null {
  const raw = toAscii(String(input)).trim()
  if (raw.length === 0 || raw.length > 32) return null
  if (!/^\+?[\d\s\-().\u00a0]+$/.test(raw)) return null
  const international = raw.startsWith('+')
  let digits = raw.replace(/\D/g, '')
  if (international) return splitInternational(digits)
  if (digits.startsWith('00')) return splitInternational(digits.slice(2))
  if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2)
  return validate({ countryCode: DEFAULT_COUNTRY_CODE, number: digits })
}

/** `138****8000`: enough for a person to recognise their own number, not enough to call it. */
export function maskMobile(mobile: Mobile | string): string {
  const number = typeof mobile === 'string' ? mobile : mobile.number
  if (number.length >= 7) return `${number.slice(0, 3)}****${number.slice(-4)}`
  return `${'*'.repeat(Math.max(0, number.length - 2))}${number.slice(-2)}`
}

/**
 * The key a staff entry is addressed by in URLs: the national number for country 86, otherwise
 * `<countryCode>-<number>` (SPEC: `DELETE /api/admin/staff/:mobile`).
 */
export function mobileKey(mobile: Mobile): string {
  return mobile.countryCode === DEFAULT_COUNTRY_CODE
    ? mobile.number
    : `${mobile.countryCode}-${mobile.number}`
}

export function parseMobileKey(key: string): Mobile | null {
  const match = /^(\d{1,3})-(\d+)$/.exec(key)
  if (match) return validate({ countryCode: match[1]!, number: match[2]! })
  return validate({ countryCode: DEFAULT_COUNTRY_CODE, number: key })
}

export function sameMobile(a: Mobile, b: Mobile): boolean {
  return a.countryCode === b.countryCode && a.number === b.number
}
