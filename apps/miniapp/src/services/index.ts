import { platform } from '@/platform'
import { PrivacyGate } from '@/privacy/privacyGate'
import { QuickLoginFlow } from '@/privacy/quickLogin'
import { routes } from '@/routes'
import { pageAfterRoleChange } from '@/session/landing'
import { Session } from '@/session/session'
import { VenueClock } from '@/session/venueClock'
import { createApiClient } from './apiClient'
import { createEndpoints, type Endpoints } from './endpoints'
import { rememberSubscribeTemplates } from './subscriptions'

/** The app's single instances, wired to the platform of this build. Pages import from here. */

export const session: Session = new Session({ platform, endpoints: () => api })

function showBlockedPage() {
  session.markBlocked()
  if (platform.currentRoute() !== routes.blocked.slice(1)) void platform.reLaunch(routes.blocked)
}

const client = createApiClient({
  platform,
  tokens: { token: () => session.token() },
  relogin: async () => {
    await session.login()
  },
  onUserDisabled: showBlockedPage,
  // the role is read fresh by the API on every request (SPEC §3): ask who the person is now
  onForbidden: () => void session.refresh().catch(() => {}),
})

// A new role in any answer (login, phone, /api/me…) re-routes a person off a page it no longer opens.
let knownRole: string | null = null
session.state.subscribe(() => {
  const user = session.user()
  if (!user) return
  const before = knownRole
  knownRole = user.role
  if (before === null || before === user.role) return
  const target = pageAfterRoleChange(user, platform.currentRoute())
  if (!target) return
  platform.showToast(user.role === 'staff' ? '已验证工作人员身份' : '你已不是工作人员')
  void platform.reLaunch(target)
})

export const api: Endpoints = createEndpoints(client)

/** The venue's time zone, from the API: every day and time shown is read in it. */
export const venueClock = new VenueClock(() =>
  api.config().then((config) => {
    rememberSubscribeTemplates(config.subscribeTemplates)
    return config
  }),
)

export const privacyGate = new PrivacyGate(platform)

export const quickLogin = new QuickLoginFlow({
  platform,
  bindPhone: async (code) => session.adopt(await api.bindPhone(code)),
  privacyGate,
})

export { platform }
