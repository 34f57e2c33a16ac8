import type { AuthResult, MiniappUser } from '@yuyue/contracts'
import type { Platform } from '@/platform/types'
import { isApiError } from '@/services/apiError'
import type { Endpoints } from '@/services/endpoints'
import { createStore, type Store } from './store'

export const TOKEN_KEY = 'yuyue.token'
export const USER_KEY = 'yuyue.user'

export type SessionState =
  | { status: 'starting' }
  | { status: 'ready'; user: MiniappUser }
  | { status: 'blocked' }
  | { status: 'failed'; message: string }

export interface SessionDeps {
  platform: Pick<Platform, 'login' | 'appId' | 'storage'>
  endpoints: () => Pick<Endpoints, 'wxLogin' | 'me'>
}

/**
 * Who is using the mini-program: the token in storage and the person it belongs to. `start` runs
 * the silent login once per launch; `login` is also what the request wrapper calls on a 401.
 */
export class Session {
  readonly state: Store<SessionState>
  private starting: Promise<MiniappUser> | null = null

  constructor(private readonly deps: SessionDeps) {
    this.state = createStore<SessionState>({ status: 'starting' })
  }

  token(): string | null {
    return this.deps.platform.storage.get<string>(TOKEN_KEY)
  }

  user(): MiniappUser | null {
    const state = this.state.get()
    return state.status === 'ready' ? state.user : null
  }

  /**
   * wx.login → /api/auth/wx-login → token stored. No tap, no prompt. A code WeChat refuses (used
   * already: the answer to a first try was lost and the retry came after the API forgot it, or a
   * double tap reached two API instances; or expired) is replaced by a fresh one, once.
   */
  async login(options: { askToRetry?: boolean } = {}): Promise<MiniappUser> {
    try {
      return await this.loginWithNewCode(options)
    } catch (error) {
      if (!isApiError(error, 'WECHAT_CODE_INVALID')) throw error
      return this.loginWithNewCode(options)
    }
  }

  private async loginWithNewCode(options: { askToRetry?: boolean }): Promise<MiniappUser> {
    const code = await this.deps.platform.login()
    const result = await this.deps.endpoints().wxLogin(code, await this.deps.platform.appId(), options)
    return this.adopt(result)
  }

  /** A fresh token and person from the API (login or phone binding). */
  adopt(result: AuthResult): MiniappUser {
    this.deps.platform.storage.set(TOKEN_KEY, result.token)
    this.deps.platform.storage.set(USER_KEY, result.user)
    this.state.set({ status: 'ready', user: result.user })
    return result.user
  }

  updateUser(user: MiniappUser): void {
    this.deps.platform.storage.set(USER_KEY, user)
    this.state.set({ status: 'ready', user })
  }

  /** The person as the API sees them now (after a 403, their role may have changed). */
  async refresh(): Promise<MiniappUser> {
    const { user } = await this.deps.endpoints().me()
    this.updateUser(user)
    return user
  }

  markBlocked(): void {
    this.deps.platform.storage.remove(TOKEN_KEY)
    this.state.set({ status: 'blocked' })
  }

  /**
   * The launch's silent login, shared by every page that waits for it. A failure is shown on the
   * page with its 重试 (SessionGate), not in a dialog: launch never hangs on a prompt the page
   * may not be ready to show (SPEC §7).
   */
  start(): Promise<MiniappUser> {
    this.starting ??= this.login({ askToRetry: false }).catch((error: unknown) => {
      this.starting = null
      if (this.state.get().status !== 'blocked') {
        // the API's own words (WeChat refused, rate limited…); anything else is the connection
        this.state.set({
          status: 'failed',
          message: isApiError(error) ? error.message : '登录失败，请检查网络',
        })
      }
      throw error
    })
    return this.starting
  }

  /** Start again after a failure, or after a disabled person was enabled again. */
  restart(): Promise<MiniappUser> {
    this.starting = null
    this.state.set({ status: 'starting' })
    return this.start()
  }
}
