/** Page paths, as app.config.ts lists them. */
export const routes = {
  launch: '/pages/launch/index',
  home: '/pages/home/index',
  bookings: '/pages/bookings/index',
  profile: '/pages/profile/index',
  staff: '/secondary/staff/index',
  blocked: '/secondary/blocked/index',
} as const

export type PagePath = (typeof routes)[keyof typeof routes]

/** Pages on the tab bar: reached with switchTab, not navigateTo. */
export const tabPages: readonly PagePath[] = [routes.home, routes.bookings, routes.profile]

/** `pages/home/index` (a route as getCurrentPages reports it) → `/pages/home/index`. */
export function pagePath(route: string): string {
  return `/${route.replace(/^\//, '').split('?')[0]}`
}
