import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A booking's check-in code (预约码): `Y1.<booking id>.<expiry, s>.<nonce>.<mac>`, base 36 and
 * base64url, about 50 characters so the QR stays coarse enough for any phone camera. The MAC
 * covers everything before it; the nonce makes every call's code new (SPEC §4).
 */
const VERSION = 'Y1'
const MAC_BYTES = 16

/**
 * The key codes are signed with: derived from JWT_SECRET under a label of its own (HKDF), so a
 * code is never a token and a token never a code, and there is no second secret to deploy.
 */
export function deriveCheckInCodeKey(jwtSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'yuyue', 'check-in code v1', 32))
}

function macOf(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, MAC_BYTES)
}

/** A code for this booking, good until `expiresAt` (kept to whole seconds). */
export function signCheckInCode(key: Buffer, bookingId: number, expiresAt: Date): string {
  const seconds = Math.floor(expiresAt.getTime() / 1000)
  const body = `${VERSION}.${bookingId.toString(36)}.${seconds.toString(36)}.${randomBytes(6).toString('base64url')}`
  return `${body}.${macOf(key, body).toString('base64url')}`
}

/** The booking a code names, or null when it is malformed, forged or expired at `now`. */
export function readCheckInCode(key: Buffer, code: string, now: Date): { bookingId: number } | null {
  const parts = code.trim().split('.')
  if (parts.length !== 5 || parts[0] !== VERSION) return null
  const [, id = '', expiry = '', , mac = ''] = parts
  if (!/^[0-9a-z]{1,11}$/.test(id) || !/^[0-9a-z]{1,9}$/.test(expiry)) return null
  const given = Buffer.from(mac, 'base64url')
  const expected = macOf(key, parts.slice(0, 4).join('.'))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  if (now.getTime() >= Number.parseInt(expiry, 36) * 1000) return null
  const bookingId = Number.parseInt(id, 36)
  return Number.isSafeInteger(bookingId) && bookingId > 0 ? { bookingId } : null
}
