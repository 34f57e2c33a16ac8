import type { MiniappUser } from '@yuyue/contracts'
import { type PagePath, pagePath, routes } from '@/routes'

/** Role → the page a person lands on (SPEC §7): staff → the staff booking view, users → home. */
export function landingPage(user: Pick<MiniappUser, 'role'>): PagePath {
  return user.role === 'staff' ? routes.staff : routes.home
}

/**
 * Where to go once the launch's silent login is done, given the page the app opened on. Opened
 * normally it is the launch page, so the person goes to their landing page; opened on a page
 * (a reload, a shared link) they stay, unless it is a staff page and they are not staff.
 */
export function pageAfterLaunch(
  user: Pick<MiniappUser, 'role'>,
  currentRoute: string | null,
): PagePath | null {
  const current = currentRoute ? pagePath(currentRoute) : routes.launch
  if (current === routes.launch || current === routes.blocked) return landingPage(user)
  if (current === routes.staff && user.role !== 'staff') return routes.home
  return null
}

/** After the phone is bound the role may have changed: switch to its landing page. */
export function pageAfterPhoneBound(
  user: Pick<MiniappUser, 'role'>,
  currentRoute: string | null,
): PagePath | null {
  const target = landingPage(user)
  return currentRoute && pagePath(currentRoute) === target ? null : target
}

/**
 * The person's role changed under them (SPEC §7: staff removed, seen on the next request): a page
 * their role no longer opens sends them to their landing page.
 */
export function pageAfterRoleChange(
  user: Pick<MiniappUser, 'role'>,
  currentRoute: string | null,
): PagePath | null {
  if (currentRoute && pagePath(currentRoute) === routes.staff && user.role !== 'staff')
    return landingPage(user)
  return null
}
