import { describe, expect, it, vi } from 'vitest'
import { type HttpRequest, NetworkError } from '@/platform/types'
import { type ApiClientDeps, createApiClient } from '@/services/apiClient'
import { ApiError } from '@/services/apiError'
import { deferred, errorBody, fakePlatform } from './fakePlatform'

/** An API stand-in that accepts only the current token and counts what it sees. */
function harness(options: { tokenAfterLogin?: string; loginGate?: Promise<void> } = {}) {
  let token = 'old-token'
  let acceptedToken = 'new-token'
  const seen: Array<{ path: string; authorization?: string }> = []
  const platform = fakePlatform({
    request: vi.fn(async (request: HttpRequest) => {
      seen.push({ path: request.path, authorization: request.headers?.authorization })
      if (request.headers?.authorization !== `Bearer ${acceptedToken}`) {
        return { status: 401, body: errorBody('UNAUTHORIZED', '登录已失效,请重新登录') }
      }
      return { status: 200, body: { path: request.path } }
    }),
  })
  const deps: ApiClientDeps = {
    platform,
    tokens: { token: () => token },
    relogin: vi.fn(async () => {
      await options.loginGate
      token = options.tokenAfterLogin ?? 'new-token'
    }),
    onUserDisabled: vi.fn(),
  }
  return {
    client: createApiClient(deps),
    deps,
    platform,
    seen,
    refuseEveryToken: () => {
      acceptedToken = 'nothing-is-accepted'
    },
  }
}

const get = (path: string): HttpRequest => ({ method: 'GET', path })

describe('the request wrapper', () => {
  it('sends the stored token as a bearer token', async () => {
    const { client, seen, deps } = harness()
    ;(deps.tokens as { token: () => string }).token = () => 'new-token'
    await expect(client.call(get('/api/me'))).resolves.toEqual({ path: '/api/me' })
    expect(seen).toEqual([{ path: '/api/me', authorization: 'Bearer new-token' }])
  })

  it('logs in once however many requests get 401 together, and retries each of them once', async () => {
    const gate = deferred()
    const { client, deps, seen } = harness({ loginGate: gate.promise })
    const paths = Array.from({ length: 8 }, (_, i) => `/api/r${i}`)
    const pending = paths.map((path) => client.call(get(path)))
    // let every first attempt come back with 401 while the login is still running
    await vi.waitFor(() => expect(seen).toHaveLength(8))
    gate.resolve()

    const answers = await Promise.all(pending)
    expect(answers).toEqual(paths.map((path) => ({ path })))
    expect(deps.relogin).toHaveBeenCalledTimes(1)
    for (const path of paths) {
      expect(seen.filter((s) => s.path === path).map((s) => s.authorization)).toEqual([
        'Bearer old-token',
        'Bearer new-token',
      ])
    }
  })

  it('does not log in again for a 401 that arrives after another request already did', async () => {
    const { client, deps, seen } = harness()
    await client.call(get('/api/first'))
    expect(deps.relogin).toHaveBeenCalledTimes(1)
    // a slow request sent with the old token comes back later: the token is already new
    const late = createApiClient({
      ...deps,
      tokens: { token: vi.fn().mockReturnValueOnce('old-token').mockReturnValue('new-token') },
    })
    await expect(late.call(get('/api/late'))).resolves.toEqual({ path: '/api/late' })
    expect(deps.relogin).toHaveBeenCalledTimes(1)
    expect(seen.filter((s) => s.path === '/api/late')).toHaveLength(2)
  })

  it('gives up on a second 401 instead of looping', async () => {
    const { client, deps, seen, refuseEveryToken } = harness()
    refuseEveryToken()
    const failure = await client.call(get('/api/me')).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ApiError)
    expect((failure as ApiError).code).toBe('UNAUTHORIZED')
    expect(deps.relogin).toHaveBeenCalledTimes(1)
    expect(seen).toHaveLength(2)
  })

  it('shows the blocked page on 403 USER_DISABLED', async () => {
    const platform = fakePlatform({
      request: vi.fn(async () => ({
        status: 403,
        body: errorBody('USER_DISABLED', '用户已被禁用,无法登录'),
      })),
    })
    const onUserDisabled = vi.fn()
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled,
    })
    await expect(client.call(get('/api/slots'))).rejects.toMatchObject({
      code: 'USER_DISABLED',
      message: '用户已被禁用,无法登录',
      status: 403,
    })
    expect(onUserDisabled).toHaveBeenCalledTimes(1)
  })

  it('shows the blocked page when the silent re-login itself is refused as disabled', async () => {
    const { client, deps } = harness()
    vi.mocked(deps.relogin).mockRejectedValue(new ApiError('USER_DISABLED', '用户已被禁用,无法登录', 403))
    const failures = await Promise.allSettled([client.call(get('/api/a')), client.call(get('/api/b'))])
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected'])
    expect(deps.relogin).toHaveBeenCalledTimes(1)
    expect(deps.onUserDisabled).toHaveBeenCalledTimes(1)
  })

  it('other errors reach the caller with the code and message of the envelope', async () => {
    const platform = fakePlatform({
      request: vi.fn(async () => ({ status: 409, body: errorBody('SLOT_FULL', '该时段已约满') })),
    })
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled: vi.fn(),
    })
    await expect(client.call(get('/api/bookings'))).rejects.toMatchObject({
      code: 'SLOT_FULL',
      message: '该时段已约满',
    })
  })

  it('a body that is not the envelope (a proxy error page) is a BAD_RESPONSE error', async () => {
    const platform = fakePlatform({ request: vi.fn(async () => ({ status: 502, body: null })) })
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled: vi.fn(),
    })
    await expect(client.call(get('/api/me'))).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 })
  })

  it('the public login call sends no token and never re-logs in on 401', async () => {
    const { client, deps, seen } = harness()
    await expect(
      client.callPublic({ method: 'POST', path: '/api/auth/wx-login', body: {} }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    })
    expect(deps.relogin).not.toHaveBeenCalled()
    expect(seen).toEqual([{ path: '/api/auth/wx-login', authorization: undefined }])
  })
})

describe('network failures', () => {
  function flaky(failures: number) {
    let left = failures
    return fakePlatform({
      request: vi.fn(async (request: HttpRequest) => {
        if (left > 0) {
          left -= 1
          throw new NetworkError('request:fail timeout')
        }
        return { status: 200, body: { path: request.path } }
      }),
    })
  }

  it('asks once whether to retry, and retries when the person says so', async () => {
    const platform = flaky(1)
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled: vi.fn(),
    })
    await expect(client.call(get('/api/slots'))).resolves.toEqual({ path: '/api/slots' })
    expect(platform.showModal).toHaveBeenCalledTimes(1)
    expect(platform.showModal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '重试' }))
    expect(platform.request).toHaveBeenCalledTimes(2)
  })

  it('puts one question for all the requests that failed together', async () => {
    const platform = flaky(3)
    const answer = deferred<boolean>()
    vi.mocked(platform.showModal).mockReturnValue(answer.promise)
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled: vi.fn(),
    })
    const pending = ['/a', '/b', '/c'].map((path) => client.call(get(path)))
    await vi.waitFor(() => expect(platform.request).toHaveBeenCalledTimes(3))
    answer.resolve(true)
    await expect(Promise.all(pending)).resolves.toHaveLength(3)
    expect(platform.showModal).toHaveBeenCalledTimes(1)
  })

  it('a person who does not retry gets a toast and the call fails with NETWORK_ERROR', async () => {
    const platform = flaky(1)
    vi.mocked(platform.showModal).mockResolvedValue(false)
    const client = createApiClient({
      platform,
      tokens: { token: () => 't' },
      relogin: vi.fn(),
      onUserDisabled: vi.fn(),
    })
    await expect(client.call(get('/api/slots'))).rejects.toMatchObject({ code: 'NETWORK_ERROR' })
    expect(platform.showToast).toHaveBeenCalledWith('网络连接失败，请稍后重试')
    expect(platform.request).toHaveBeenCalledTimes(1)
  })
})

describe('what the launch and role changes need', () => {
  it('a public call that must not prompt fails at once with NETWORK_ERROR, no dialog', async () => {
    const platform = fakePlatform({
      request: vi.fn(async () => {
        throw new NetworkError('request:fail net::ERR_CONNECTION_REFUSED')
      }),
    })
    const client = createApiClient({
      platform,
      tokens: { token: () => null },
      relogin: vi.fn(async () => {}),
      onUserDisabled: vi.fn(),
    })
    await expect(
      client.callPublic(
        { method: 'POST', path: '/api/auth/wx-login', body: { code: 'c' } },
        { askToRetry: false },
      ),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' })
    expect(platform.showModal).not.toHaveBeenCalled()
  })

  it('tells of a 403 FORBIDDEN on an authenticated call, so the person can be asked for again', async () => {
    const onForbidden = vi.fn()
    const client = createApiClient({
      platform: fakePlatform({
        request: vi.fn(async () => ({ status: 403, body: errorBody('FORBIDDEN', '无权访问') })),
      }),
      tokens: { token: () => 'tok' },
      relogin: vi.fn(async () => {}),
      onUserDisabled: vi.fn(),
      onForbidden,
    })
    await expect(client.call(get('/api/staff/bookings'))).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(onForbidden).toHaveBeenCalledTimes(1)
  })
})
