import type { Platform } from '@/platform/types'
import type { PrivacyGate } from '@/privacy/privacyGate'
import { pageAfterLaunch } from './landing'
import type { Session } from './session'
import type { VenueClock } from './venueClock'

/**
 * App launch (SPEC §7): listen for privacy requests, log in silently, and take the person to the
 * page their role lands on. No tap and no prompt on the way.
 */
export async function launchApp(deps: {
  session: Session
  privacyGate: Pick<PrivacyGate, 'listen'>
  platform: Pick<Platform, 'currentRoute' | 'reLaunch'>
  venueClock: Pick<VenueClock, 'load'>
}): Promise<void> {
  deps.privacyGate.listen()
  // beside the login, not after it; a failure is shown (with a retry) by the pages' SessionGate
  deps.venueClock.load().catch(() => {})
  let user: Awaited<ReturnType<Session['start']>>
  try {
    user = await deps.session.start()
  } catch {
    // a disabled person is on the blocked page already; other failures show a retry on the page
    return
  }
  const target = pageAfterLaunch(user, deps.platform.currentRoute())
  if (target) await deps.platform.reLaunch(target)
}
