import type { AdminAccount, AdminLoginResponse } from '@yuyue/contracts'

/**
 * The admin's session: the API's bearer token, when it expires, and who is logged in.
 *
 * Kept in sessionStorage rather than localStorage: the dashboard shows every person's phone
 * number, so a session should end with the tab that opened it, not linger in the browser profile
 * for the next person at a shared desk. (A cookie would need the API to issue one; it answers a
 * bearer token.) The expiry is stored too, so a stale token is dropped before it is ever sent.
 */
export interface AdminSession {
  token: string
  /** epoch milliseconds */
  expiresAt: number
  admin: AdminAccount
}

const KEY = 'yuyue.admin.session'
/** Treat the token as expired a little early, so a request never leaves with one about to die. */
const EXPIRY_MARGIN_MS = 30_000

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null
  } catch {
    return null // storage disabled by the browser's privacy settings
  }
}

export function readSession(now = Date.now()): AdminSession | null {
  const raw = storage()?.getItem(KEY)
  if (!raw) return null
  try {
    const session = JSON.parse(raw) as AdminSession
    if (typeof session.token !== 'string' || typeof session.expiresAt !== 'number') return null
    if (session.expiresAt - EXPIRY_MARGIN_MS <= now) {
      storage()?.removeItem(KEY)
      return null
    }
    return session
  } catch {
    return null
  }
}

export function saveSession(login: AdminLoginResponse, now = Date.now()): AdminSession {
  const session: AdminSession = {
    token: login.token,
    expiresAt: now + login.expiresIn * 1000,
    admin: login.admin,
  }
  storage()?.setItem(KEY, JSON.stringify(session))
  return session
}

export function clearSession(): void {
  storage()?.removeItem(KEY)
}
