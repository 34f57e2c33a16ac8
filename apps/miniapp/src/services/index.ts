import { platform } from '@/platform'
import { PrivacyGate } from '@/privacy/privacyGate'
import { QuickLoginFlow } from '@/privacy/quickLogin'
import { routes } from '@/routes'
import { Session } from '@/session/session'
import { VenueClock } from '@/session/venueClock'
import { createApiClient } from './apiClient'
import { createEndpoints, type Endpoints } from './endpoints'

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
})

export const api: Endpoints = createEndpoints(client)

/** The venue's time zone, from the API: every day and time shown is read in it. */
export const venueClock = new VenueClock(() => api.config())

export const privacyGate = new PrivacyGate(platform)

export const quickLogin = new QuickLoginFlow({
  platform,
  bindPhone: async (code) => session.adopt(await api.bindPhone(code)),
  privacyGate,
})

export { platform }
