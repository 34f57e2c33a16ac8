import { Navigate, Outlet, useLocation } from 'react-router'
import { readSession } from '../lib/session'
import { loginPath } from './paths'

/**
 * The dashboard's pages behind the login: without a live session, to login and back afterwards.
 * Checked on every navigation; a session that dies while a page is open is noticed by the
 * request wrapper (401), which sends the admin to login itself.
 */
export function RequireSession() {
  const location = useLocation()
  if (!readSession()) return <Navigate to={loginPath(`${location.pathname}${location.search}`)} replace />
  return <Outlet />
}
