import { type HttpRequest, type HttpResponse, NetworkError, type Platform } from '@/platform/types'
import { ApiError, toApiError } from './apiError'

export interface TokenSource {
  token(): string | null
}

export interface ApiClientDeps {
  platform: Pick<Platform, 'request' | 'upload' | 'showModal' | 'showToast'>
  tokens: TokenSource
  /** a silent login that stores a fresh token (wx.login → /api/auth/wx-login) */
  relogin(): Promise<void>
  /** the person is disabled: show the blocked page (may be called more than once) */
  onUserDisabled(): void
  /** a 403 FORBIDDEN: the person's role may have changed since the app last heard it */
  onForbidden?(): void
}

type Send = (headers: Record<string, string>) => Promise<HttpResponse>

export interface ApiClient {
  /** an authenticated call: bearer token, silent re-login on 401, blocked page on USER_DISABLED */
  call<T>(request: HttpRequest): Promise<T>
  /** a multipart upload with the same handling */
  upload<T>(path: string, filePath: string, field: string): Promise<T>
  /**
   * a call that needs no token (the login itself): no 401 handling; a network failure asks to
   * retry unless `askToRetry` is false (the launch shows its own retry on the page)
   */
  callPublic<T>(request: HttpRequest, options?: { askToRetry?: boolean }): Promise<T>
}

/**
 * The one request wrapper every API call goes through (SPEC §7). However many requests fail with
 * 401 at once, a single silent login runs and each of them is retried once with the new token; a
 * second 401 is given up on, so an API that keeps refusing cannot make the app loop.
 */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  let loginInFlight: Promise<void> | null = null
  let networkPrompt: Promise<boolean> | null = null

  function sharedRelogin(): Promise<void> {
    loginInFlight ??= deps
      .relogin()
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'USER_DISABLED') deps.onUserDisabled()
        throw error
      })
      .finally(() => {
        loginInFlight = null
      })
    return loginInFlight
  }

  /** One question for all the requests that failed together: retry them, or give up. */
  function askToRetry(): Promise<boolean> {
    networkPrompt ??= deps.platform
      .showModal({
        title: '网络连接失败',
        content: '请检查网络后重试',
        confirmText: '重试',
        cancelText: '取消',
      })
      .catch(() => false)
      .then((retry) => {
        if (!retry) deps.platform.showToast('网络连接失败，请稍后重试')
        return retry
      })
      .finally(() => {
        networkPrompt = null
      })
    return networkPrompt
  }

  async function sendOnce(
    send: Send,
    headers: Record<string, string>,
    prompt: boolean,
  ): Promise<HttpResponse> {
    for (;;) {
      try {
        return await send(headers)
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        if (!prompt) throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0)
        if (!(await askToRetry())) throw new ApiError('NETWORK_ERROR', '网络连接失败，请稍后重试', 0)
      }
    }
  }

  async function exchange<T>(
    send: Send,
    authenticated: boolean,
    afterRelogin = false,
    prompt = true,
  ): Promise<T> {
    const token = authenticated ? deps.tokens.token() : null
    const response = await sendOnce(send, token ? { authorization: `Bearer ${token}` } : {}, prompt)
    if (response.status >= 200 && response.status < 300) return response.body as T

    const error = toApiError(response.status, response.body)
    if (authenticated && response.status === 401 && !afterRelogin) {
      // Another request may have logged in again while this one was on its way: then its token
      // is already new and a retry is enough.
      if (deps.tokens.token() === token) await sharedRelogin()
      return exchange<T>(send, authenticated, true)
    }
    if (error.code === 'USER_DISABLED') deps.onUserDisabled()
    if (authenticated && error.code === 'FORBIDDEN') deps.onForbidden?.()
    throw error
  }

  return {
    call<T>(request: HttpRequest) {
      return exchange<T>(
        (headers) => deps.platform.request({ ...request, headers: { ...request.headers, ...headers } }),
        true,
      )
    },
    upload<T>(path: string, filePath: string, field: string) {
      return exchange<T>((headers) => deps.platform.upload({ path, filePath, field, headers }), true)
    },
    callPublic<T>(request: HttpRequest, options: { askToRetry?: boolean } = {}) {
      return exchange<T>(
        (headers) => deps.platform.request({ ...request, headers }),
        false,
        false,
        options.askToRetry !== false,
      )
    },
  }
}
