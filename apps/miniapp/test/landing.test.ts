import type { AuthResult, MiniappUser } from '@yuyue/contracts'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/services/apiError'
import { landingPage, pageAfterLaunch, pageAfterPhoneBound, pageAfterRoleChange } from '@/session/landing'
import { launchApp } from '@/session/launch'
import { Session, TOKEN_KEY } from '@/session/session'
import { VenueClock } from '@/session/venueClock'
import { fakePlatform } from './fakePlatform'

function person(role: MiniappUser['role'], phone = role === 'staff'): MiniappUser {
  return {
    id: 1,
    role,
    nickname: null,
    avatarUrl: null,
    phone: phone ? { countryCode: '86', masked: '139****0000' } : null,
    createdAt: '2026-01-01T00:00:00.000Z',
  }
}

describe('landing by role', () => {
  it('sends staff to the staff booking view and everyone else home', () => {
    expect(landingPage(person('staff'))).toBe('/secondary/staff/index')
    expect(landingPage(person('user'))).toBe('/pages/home/index')
    expect(landingPage(person('user', true))).toBe('/pages/home/index')
  })

  it('moves on from the launch page (or no page yet) to the landing page', () => {
    expect(pageAfterLaunch(person('staff'), 'pages/launch/index')).toBe('/secondary/staff/index')
    expect(pageAfterLaunch(person('user'), 'pages/launch/index')).toBe('/pages/home/index')
    expect(pageAfterLaunch(person('user'), null)).toBe('/pages/home/index')
  })

  it('keeps a person on the page they reopened (a reload), with no navigation', () => {
    expect(pageAfterLaunch(person('user'), 'pages/home/index')).toBeNull()
    expect(pageAfterLaunch(person('user'), '/pages/bookings/index')).toBeNull()
    expect(pageAfterLaunch(person('staff'), 'pages/profile/index')).toBeNull()
    expect(pageAfterLaunch(person('staff'), 'secondary/staff/index')).toBeNull()
  })

  it('takes a person who is no longer staff off the staff view', () => {
    expect(pageAfterLaunch(person('user'), 'secondary/staff/index')).toBe('/pages/home/index')
  })

  it('leaves the blocked page once the person may log in again', () => {
    expect(pageAfterLaunch(person('user'), 'secondary/blocked/index')).toBe('/pages/home/index')
    expect(pageAfterLaunch(person('staff'), 'secondary/blocked/index')).toBe('/secondary/staff/index')
  })

  it('after the phone is bound, switches to the landing page of the role it gave', () => {
    expect(pageAfterPhoneBound(person('staff'), 'pages/home/index')).toBe('/secondary/staff/index')
    expect(pageAfterPhoneBound(person('user', true), 'pages/home/index')).toBeNull()
    expect(pageAfterPhoneBound(person('user', true), 'pages/profile/index')).toBe('/pages/home/index')
  })
})

describe('the launch', () => {
  function setup(user: MiniappUser, route: string | null) {
    const platform = fakePlatform({ currentRoute: vi.fn(() => route) })
    const wxLogin = vi.fn(
      async (_code: string, _appId?: string, _options?: object): Promise<AuthResult> => ({
        token: 'tok',
        expiresIn: 7200,
        user,
      }),
    )
    const me = vi.fn(async () => ({ user }))
    const session = new Session({ platform, endpoints: () => ({ wxLogin, me }) })
    const privacyGate = { listen: vi.fn() }
    const venueClock = new VenueClock(async () => ({ timeZone: 'Asia/Shanghai' }))
    return { platform, wxLogin, session, privacyGate, venueClock }
  }

  it('logs in with no tap, stores the token and lands a staff member on the staff view', async () => {
    const { platform, wxLogin, session, privacyGate, venueClock } = setup(
      person('staff'),
      'pages/launch/index',
    )
    await launchApp({ session, privacyGate, platform, venueClock })
    expect(platform.login).toHaveBeenCalledTimes(1)
    // no retry dialog at launch: a failure shows on the page, with its 重试
    expect(wxLogin).toHaveBeenCalledWith('login-code', 'wxtest', { askToRetry: false })
    expect(platform.storage.get(TOKEN_KEY)).toBe('tok')
    expect(privacyGate.listen).toHaveBeenCalled()
    expect(platform.reLaunch).toHaveBeenCalledWith('/secondary/staff/index')
    expect(session.state.get()).toMatchObject({ status: 'ready', user: { role: 'staff' } })
  })

  it('lands a user on home', async () => {
    const { platform, session, privacyGate, venueClock } = setup(person('user'), 'pages/launch/index')
    await launchApp({ session, privacyGate, platform, venueClock })
    expect(platform.reLaunch).toHaveBeenCalledWith('/pages/home/index')
  })

  it('a reload on home logs in again silently and stays put', async () => {
    const { platform, session, privacyGate, venueClock } = setup(person('user', true), 'pages/home/index')
    await launchApp({ session, privacyGate, platform, venueClock })
    expect(platform.login).toHaveBeenCalledTimes(1)
    expect(platform.reLaunch).not.toHaveBeenCalled()
  })

  it('a failed login leaves the page to offer a retry, and a retry logs in again', async () => {
    const { platform, wxLogin, session, privacyGate, venueClock } = setup(
      person('user'),
      'pages/launch/index',
    )
    wxLogin.mockRejectedValueOnce(new ApiError('WECHAT_UNAVAILABLE', '微信服务暂时不可用', 502))
    await launchApp({ session, privacyGate, platform, venueClock })
    expect(platform.reLaunch).not.toHaveBeenCalled()
    expect(session.state.get()).toEqual({ status: 'failed', message: '微信服务暂时不可用' })
    await session.restart()
    expect(session.state.get()).toMatchObject({ status: 'ready' })
    expect(wxLogin).toHaveBeenCalledTimes(2)
  })

  it('logs in with a fresh code, once, when WeChat refuses the code as used or expired', async () => {
    const { platform, wxLogin, session } = setup(person('user'), 'pages/home/index')
    vi.mocked(platform.login).mockResolvedValueOnce('used-code').mockResolvedValueOnce('fresh-code')
    const refused = new ApiError('WECHAT_CODE_INVALID', '微信登录凭证无效或已过期,请重试', 400)
    wxLogin.mockRejectedValueOnce(refused)
    await session.start()
    expect(wxLogin.mock.calls.map(([code]) => code)).toEqual(['used-code', 'fresh-code'])
    expect(session.state.get()).toMatchObject({ status: 'ready' })

    // a second refusal in a row is shown, not retried again
    wxLogin.mockRejectedValueOnce(refused).mockRejectedValueOnce(refused)
    await expect(session.restart()).rejects.toBe(refused)
    expect(wxLogin).toHaveBeenCalledTimes(4)
    expect(session.state.get()).toEqual({ status: 'failed', message: refused.message })
  })

  it('a login that failed before reaching the API says to check the network', async () => {
    const { platform, session } = setup(person('user'), 'pages/home/index')
    vi.mocked(platform.login).mockRejectedValueOnce(new Error('login:fail'))
    await expect(session.start()).rejects.toThrow('login:fail')
    expect(session.state.get()).toEqual({ status: 'failed', message: '登录失败，请检查网络' })
  })

  it('pages waiting for the launch share its one login', async () => {
    const { platform, session } = setup(person('user'), 'pages/home/index')
    await Promise.all([session.start(), session.start(), session.start()])
    expect(platform.login).toHaveBeenCalledTimes(1)
  })
})

describe('a role that changed under the person', () => {
  it('takes someone no longer staff off the staff view, and moves nobody else', () => {
    expect(pageAfterRoleChange(person('user'), 'secondary/staff/index')).toBe('/pages/home/index')
    expect(pageAfterRoleChange(person('user'), 'pages/profile/index')).toBeNull()
    expect(pageAfterRoleChange(person('staff'), 'pages/home/index')).toBeNull()
    expect(pageAfterRoleChange(person('staff'), 'secondary/staff/index')).toBeNull()
  })
})
