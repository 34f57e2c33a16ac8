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

/** Why a password may not guard a production admin, or null when it may. */
export function passwordWeakness(password: string): string | null {
  if ([...password.normalize('NFKC')].length < MIN_PASSWORD_LENGTH)
    return `at least ${MIN_PASSWORD_LENGTH} characters`
  if (PUBLISHED_PASSWORDS.has(password.normalize('NFKC').trim().toLowerCase()))
    return 'a password that is not published (a demo or test password)'
  return null
}
