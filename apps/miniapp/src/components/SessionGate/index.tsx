import type { MiniappUser } from '@yuyue/contracts'
import type { ReactNode } from 'react'
import PageState from '@/components/PageState'
import { platform, session, venueClock } from '@/services'
import { pageAfterLaunch } from '@/session/landing'
import { useStore } from '@/session/useStore'

async function retryLogin() {
  void venueClock.load().catch(() => {})
  try {
    const user = await session.restart()
    const target = pageAfterLaunch(user, platform.currentRoute())
    if (target) await platform.reLaunch(target)
  } catch {
    // the failed state is shown again, with the same button
  }
}

/**
 * Renders a page's content once the silent login is done and the venue's time zone is known; a
 * failed login, or a zone that could not be read, gets a retry.
 */
export default function SessionGate({ children }: { children: (user: MiniappUser) => ReactNode }) {
  const state = useStore(session.state)
  const clock = useStore(venueClock.state)
  if (state.status === 'ready' && clock.status === 'ready') return <>{children(state.user)}</>
  if (state.status === 'failed')
    return <PageState kind="error" message={state.message} actionText="重试" onAction={retryLogin} />
  if (state.status === 'ready' && clock.status === 'failed')
    return (
      <PageState
        kind="error"
        message={clock.message}
        actionText="重试"
        onAction={() => void venueClock.load().catch(() => {})}
      />
    )
  if (state.status === 'blocked') return <PageState kind="error" message="账号已被禁用" />
  return <PageState kind="loading" message="正在登录…" />
}
