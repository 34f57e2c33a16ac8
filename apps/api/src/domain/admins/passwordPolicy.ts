/**
 * Passwords this repository publishes (the demo admin of `pnpm dev`, the e2e and test admins) and
 * the few everyone tries first: a production admin must not be reachable with any of them.
 */
const PUBLISHED_PASSWORDS = new Set([
  'yuyue-admin',
  'e2e-admin-password',
  'e2e-admin-password-1',
  'correct horse battery',
  'password',
  'password123',
  'admin123',
  'administrator',
  'changeme',
  '12345678',
  '123456789',
  '1234567890',
  'qwertyuiop',
])

export const MIN_PASSWORD_LENGTH = 12

export type PasswordWeakness = 'tooShort' | 'published'

/** Why a password may not guard an admin account (in production, or when an admin sets it), or null. */
export function passwordWeakness(password: string): PasswordWeakness | null {
  const normalised = password.normalize('NFKC')
  if ([...normalised].length < MIN_PASSWORD_LENGTH) return 'tooShort'
  if (PUBLISHED_PASSWORDS.has(normalised.trim().toLowerCase())) return 'published'
  return null
}
