// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, isApiError, request, setUnauthorizedHandler, withQuery } from './request'
import { clearSession, readSession, saveSession } from './session'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const login = { token: 'tok-1', expiresIn: 7200, admin: { id: 1, username: 'admin' } }

describe('request', () => {
  const fetchMock = vi.fn<typeof fetch>()
  const unauthorized = vi.fn()

  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    setUnauthorizedHandler(unauthorized)
    saveSession(login)
  })
  afterEach(() => {
    fetchMock.mockReset()
    unauthorized.mockReset()
    clearSession()
    vi.unstubAllGlobals()
  })

  it('sends the bearer token and a JSON body to a relative URL, and answers the JSON', async () => {
    fetchMock.mockResolvedValue(json(200, { removed: true, demoted: 0 }))
    const answer = await request('/api/admin/staff/13800138000', { method: 'DELETE', body: { x: 1 } })
    expect(answer).toEqual({ removed: true, demoted: 0 })
    const [url, init] = fetchMock.mock.calls[0]!
    expect(url).toBe('/api/admin/staff/13800138000')
    expect(init?.method).toBe('DELETE')
    expect(init?.body).toBe('{"x":1}')
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer tok-1')
  })

  it('sends a body serialized elsewhere (the import worker) as it is', async () => {
    fetchMock.mockResolvedValue(json(200, { inserted: 1 }))
    await request('/api/admin/staff/import', { method: 'POST', json: '{"rows":[{"mobile":"13800138000"}]}' })
    const init = fetchMock.mock.calls[0]![1]
    expect(init?.body).toBe('{"rows":[{"mobile":"13800138000"}]}')
    expect((init!.headers as Record<string, string>)['content-type']).toBe('application/json')
  })

  it('turns the error envelope into an ApiError with the code, message and request id', async () => {
    fetchMock.mockResolvedValue(
      json(409, {
        error: { code: 'SLOT_HAS_BOOKINGS', message: '该时段仍有有效预约,无法删除', requestId: 'req-7' },
      }),
    )
    const error = await request('/api/admin/slots/3', { method: 'DELETE' }).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ code: 'SLOT_HAS_BOOKINGS', status: 409, requestId: 'req-7' })
    expect(isApiError(error, 'SLOT_HAS_BOOKINGS')).toBe(true)
    expect(unauthorized).not.toHaveBeenCalled()
    expect(readSession()).not.toBeNull()
  })

  it('keeps validation details', async () => {
    fetchMock.mockResolvedValue(
      json(400, {
        error: {
          code: 'VALIDATION_FAILED',
          message: '请求参数不正确',
          requestId: 'r',
          details: [{ path: 'body.capacity', message: 'must be >= 1' }],
        },
      }),
    )
    const error = (await request('/api/admin/slots', { method: 'POST', body: {} }).catch(
      (e) => e,
    )) as ApiError
    expect(error.details).toEqual([{ path: 'body.capacity', message: 'must be >= 1' }])
  })

  it('on 401 forgets the session and sends the admin back to login', async () => {
    fetchMock.mockResolvedValue(
      json(401, { error: { code: 'UNAUTHORIZED', message: '请先登录', requestId: 'r' } }),
    )
    const error = await request('/api/admin/users').catch((e) => e)
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 })
    expect(unauthorized).toHaveBeenCalledOnce()
    expect(readSession()).toBeNull()
  })

  it('keeps the session when a logged-in call is refused for a wrong current password', async () => {
    fetchMock.mockResolvedValue(
      json(401, { error: { code: 'BAD_CREDENTIALS', message: '当前密码不正确', requestId: 'r' } }),
    )
    const error = await request('/api/admin/auth/password', { method: 'POST', body: {} }).catch((e) => e)
    expect(error).toMatchObject({ code: 'BAD_CREDENTIALS', status: 401 })
    expect(unauthorized).not.toHaveBeenCalled()
    expect(readSession()?.token).toBe('tok-1')
  })

  it('does not treat a wrong password (401 on the login call) as an ended session', async () => {
    clearSession()
    fetchMock.mockResolvedValue(
      json(401, { error: { code: 'BAD_CREDENTIALS', message: '用户名或密码错误', requestId: 'r' } }),
    )
    const error = await request('/api/admin/auth/login', { method: 'POST', body: {}, auth: false }).catch(
      (e) => e,
    )
    expect(error).toMatchObject({ code: 'BAD_CREDENTIALS' })
    expect(unauthorized).not.toHaveBeenCalled()
    const init = fetchMock.mock.calls[0]![1]
    expect((init!.headers as Record<string, string>).authorization).toBeUndefined()
  })

  it('never sends an expired token: back to login without a request', async () => {
    clearSession()
    saveSession({ ...login, expiresIn: 10 }, Date.now() - 60_000)
    const error = await request('/api/admin/users').catch((e) => e)
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' })
    expect(fetchMock).not.toHaveBeenCalled()
    expect(unauthorized).toHaveBeenCalledOnce()
  })

  it('reports a network failure and a non-JSON error page with their own codes', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'))
    await expect(request('/api/admin/users')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad Gateway</html>', { status: 502 }))
    await expect(request('/api/admin/users')).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 })
  })
})

describe('withQuery', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(
      withQuery('/api/admin/users', { q: '张 三', role: undefined, isDeleted: false, page: 2, x: '' }),
    ).toBe('/api/admin/users?q=%E5%BC%A0+%E4%B8%89&isDeleted=false&page=2')
    expect(withQuery('/api/x', {})).toBe('/api/x')
  })
})
