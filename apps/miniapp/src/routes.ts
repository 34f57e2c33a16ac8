/** Page paths, as app.config.ts lists them. */
export const routes = {
  launch: '/pages/launch/index',
  home: '/pages/home/index',
  bookings: '/pages/bookings/index',
  profile: '/pages/profile/index',
  staff: '/secondary/staff/index',
  bookingCode: '/secondary/booking-code/index',
  blocked: '/secondary/blocked/index',
} as const

export type PagePath = (typeof routes)[keyof typeof routes]

/** Pages on the tab bar: reached with switchTab, not navigateTo. */
export const tabPages: readonly PagePath[] = [routes.home, routes.bookings, routes.profile]

/** `pages/home/index` (a route as getCurrentPages reports it) → `/pages/home/index`. */
export function pagePath(route: string): string {
  return `/${route.replace(/^\//, '').split('?')[0]}`
}

/**
 * A booking's 预约码 page (in the subpackage), with what it shows above the code. Kept here, not
 * in the page, so opening it does not pull the page's QR encoder into the main package.
 */
export function bookingCodeUrl(booking: {
  id: number
  slot: { title: string; startsAt: string; endsAt: string }
}): string {
  const { title, startsAt, endsAt } = booking.slot
  const query = [
    `id=${booking.id}`,
    `title=${encodeURIComponent(title)}`,
    `startsAt=${encodeURIComponent(startsAt)}`,
    `endsAt=${encodeURIComponent(endsAt)}`,
  ].join('&')
  return `${routes.bookingCode}?${query}`
}
