import { randomBytes } from 'node:crypto'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length)
  let text = ''
  // 256 is not a multiple of 62, so the slight bias is accepted: these are test identifiers, not secrets.
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length]
  return text
}

/** 28 characters starting with `o`, the shape of real openids and unionids. */
export function randomOpenid(): string {
  return `o${randomBytes(21).toString('base64url').slice(0, 27)}`
}

/** wx.login codes are 32 alphanumeric characters. */
export function randomLoginCode(): string {
  return randomAlphanumeric(32)
}

/** getPhoneNumber codes are 64 hex characters. */
export function randomPhoneCode(): string {
  return randomBytes(32).toString('hex')
}

/** Real tokens are `<digits>_<~128 URL-safe chars>`; clients must treat them as opaque. */
export function randomAccessToken(): string {
  return `90_${randomBytes(96).toString('base64url')}`
}

/** Template ids are 43 URL-safe characters, like `1kV1M4AOgtHyVRN1gSzMzvlPH2XPiB7zd8wNPvRxIrI`. */
export function randomTemplateId(): string {
  return randomBytes(32).toString('base64url')
}

export function randomSessionKey(): string {
  return randomBytes(16).toString('base64')
}

/** WeChat's request id: three dash-separated hex groups, the first one the unix time. */
export function randomRid(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0')
  return `${seconds}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`
}
