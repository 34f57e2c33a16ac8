export const paths = {
  login: '/login',
  overview: '/',
  users: '/users',
  staff: '/staff',
  slots: '/slots',
  bookings: '/bookings',
  settings: '/settings',
  audit: '/audit',
  password: '/account/password',
} as const

export function loginPath(redirect?: string): string {
  return redirect && redirect !== '/' ? `/login?redirect=${encodeURIComponent(redirect)}` : '/login'
}

/** Only a path of this app is a place to return to after login, never another site. */
export function safeRedirect(value: string | null): string {
  // `//host` and `/\host` are other sites to a browser
  if (!value?.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/'
  return value.startsWith('/login') ? '/' : value
}
