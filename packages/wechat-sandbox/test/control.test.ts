import { describe, expect, it } from 'vitest'
import {
  APP,
  CODE_LIFETIME,
  code2SessionFor,
  control,
  legacyTokenFor,
  MINUTE,
  OTHER_APP,
  phoneNumber,
  readJson,
  stableTokenFor,
  tokenVerdict,
  useSandbox,
} from './support'

const sandbox = useSandbox()

describe('control API', () => {
  it('counts every call per endpoint, faulted ones too, with their outcomes', async () => {
    sandbox.current.addFault({ path: '/cgi-bin/stable_token', errcode: -1 })
    sandbox.current.addFault({ path: '/cgi-bin/token', httpStatus: 503 })
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    await stableTokenFor(sandbox.current, APP)
    await stableTokenFor(sandbox.current, APP)
    await legacyTokenFor(sandbox.current, APP).catch(() => undefined)
    await code2SessionFor(sandbox.current, APP, code)
    await code2SessionFor(sandbox.current, APP, code)

    const response = await control(sandbox.current, 'GET', '/stats')

    expect(response.status).toBe(200)
    expect(await readJson(response)).toEqual({
      calls: {
        '/sns/jscode2session': 2,
        '/cgi-bin/stable_token': 2,
        '/cgi-bin/token': 1,
        '/wxa/business/getuserphonenumber': 0,
        '/cgi-bin/message/subscribe/send': 0,
      },
      outcomes: {
        '/sns/jscode2session': { ok: 1, '40163': 1 },
        '/cgi-bin/stable_token': { ok: 1, '-1': 1 },
        '/cgi-bin/token': { 'http:503': 1 },
        '/wxa/business/getuserphonenumber': {},
        '/cgi-bin/message/subscribe/send': {},
      },
    })
  })

  it('reset forgets codes, tokens, faults, stats and the clock offset', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    const token = await stableTokenFor(sandbox.current, APP)
    sandbox.current.addFault({ path: '/cgi-bin/stable_token', errcode: -1 })
    sandbox.current.advanceClock(60 * MINUTE)

    const response = await control(sandbox.current, 'POST', '/reset')

    expect(response.status).toBe(200)
    expect(sandbox.current.state.clock.now() - Date.now()).toBeLessThan(1000)
    expect(sandbox.current.stats().calls['/cgi-bin/stable_token']).toBe(0)
    expect((await code2SessionFor(sandbox.current, APP, code)).errcode).toBe(40029)
    expect(await tokenVerdict(sandbox.current, token.access_token)).toBe(40001)
    const fresh = await stableTokenFor(sandbox.current, APP)
    expect(fresh.access_token).not.toBe(token.access_token)
    expect((await control(sandbox.current, 'GET', '/health').then(readJson)).apps).toEqual([
      APP.appId,
      OTHER_APP.appId,
    ])
  })

  it('moves the clock forward and answers the sandbox’s new now', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    const before = Date.now()

    const response = await control(sandbox.current, 'POST', '/clock', { advanceMs: CODE_LIFETIME + 1000 })
    const { now } = await readJson(response)

    expect(response.status).toBe(200)
    expect(now).toBeGreaterThanOrEqual(before + CODE_LIFETIME + 1000)
    expect(now).toBeLessThan(Date.now() + CODE_LIFETIME + 2000)
    expect((await code2SessionFor(sandbox.current, APP, code)).errcode).toBe(40029)
  })

  it('refuses to move the clock backwards', async () => {
    const response = await control(sandbox.current, 'POST', '/clock', { advanceMs: -1 })

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toBe('body.advanceMs must be >= 0')
  })

  it('revokes every token of one app and leaves the other app’s alone', async () => {
    const mine = await stableTokenFor(sandbox.current, APP)
    const theirs = await stableTokenFor(sandbox.current, OTHER_APP)

    const response = await control(sandbox.current, 'POST', '/revoke-tokens', { appId: APP.appId })

    expect(await readJson(response)).toEqual({ revoked: 1 })
    expect(await tokenVerdict(sandbox.current, mine.access_token)).toBe(40001)
    expect(await tokenVerdict(sandbox.current, theirs.access_token)).toBe(47001)
  })

  it('issues phone codes over HTTP, taking a countryCode sent as a number', async () => {
    const token = await stableTokenFor(sandbox.current, APP)
    const response = await control(sandbox.current, 'POST', '/phone-code', {
      appId: APP.appId,
      phoneNumber: '91234567',
      countryCode: 65,
      openid: 'o-dave',
    })
    const { code } = await readJson(response)

    const answer = await phoneNumber(sandbox.current, String(token.access_token), { code, openid: 'o-dave' })

    expect(response.status).toBe(200)
    expect(code).toMatch(/^[0-9a-f]{64}$/)
    expect(answer.phone_info).toMatchObject({ phoneNumber: '+6591234567', countryCode: '65' })
  })

  it.each([
    ['/login-code', { appId: 'wxnotconfigured' }, /unknown appId wxnotconfigured; configured: /],
    ['/login-code', {}, /body must have required property 'appId'/],
    ['/login-code', { appId: APP.appId, openId: 'o-typo' }, /body has unknown field "openId"/],
    ['/login-code', { appId: APP.appId, openid: '' }, /body\.openid must NOT have fewer than 1 characters/],
    ['/phone-code', { appId: APP.appId }, /body must have required property 'phoneNumber'/],
    ['/phone-code', { appId: APP.appId, phoneNumber: '+86 138 0013 8000' }, /body\.phoneNumber must match/],
    ['/phone-code', { appId: APP.appId, phoneNumber: '13800138000', countryCode: '+86' }, /countryCode/],
    ['/phone-code', { appId: 'wxnotconfigured', phoneNumber: '13800138000' }, /unknown appId/],
    ['/revoke-tokens', { appId: 'wxnotconfigured' }, /unknown appId/],
    ['/clock', { advanceMs: 'soon' }, /body\.advanceMs must be integer/],
  ])('answers POST %s %j with HTTP 400 and a clear message', async (path, body, message) => {
    const response = await control(sandbox.current, 'POST', path, body)

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(message)
  })

  it('answers a body that is not JSON with HTTP 400', async () => {
    const response = await fetch(`${sandbox.current.url}/__sandbox/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"appId":',
    })

    expect(response.status).toBe(400)
    expect(await readJson(response)).toEqual({ error: 'body is not valid JSON' })
  })

  it('answers a bodiless POST that needs a body with HTTP 400, and accepts one that needs none', async () => {
    const needsBody = await control(sandbox.current, 'POST', '/login-code')
    const reset = await fetch(`${sandbox.current.url}/__sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    })

    expect(needsBody.status).toBe(400)
    expect(reset.status).toBe(200)
  })

  it('answers an unknown control route with 404 and a JSON error', async () => {
    const response = await control(sandbox.current, 'GET', '/nope')

    expect(response.status).toBe(404)
    expect(await readJson(response)).toEqual({ error: 'no control route GET /__sandbox/nope' })
  })
})

describe('control API from a browser page on another origin', () => {
  it('answers the CORS preflight', async () => {
    const response = await fetch(`${sandbox.current.url}/__sandbox/login-code`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:10086',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })

    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type')
  })

  it('allows any origin to read control answers, errors included', async () => {
    const ok = await control(sandbox.current, 'POST', '/login-code', { appId: APP.appId })
    const refused = await control(sandbox.current, 'POST', '/login-code', { appId: 'wxnotconfigured' })

    expect(ok.headers.get('access-control-allow-origin')).toBe('*')
    expect(refused.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('accepts JSON sent as text/plain, which a page uses to avoid the preflight', async () => {
    const response = await fetch(`${sandbox.current.url}/__sandbox/login-code`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ appId: APP.appId, openid: 'o-browser' }),
    })

    expect(response.status).toBe(200)
    expect(await readJson(response)).toMatchObject({ openid: 'o-browser' })
  })

  it('does not open the WeChat endpoints to browsers', async () => {
    const token = await fetch(`${sandbox.current.url}/cgi-bin/token?grant_type=client_credential`)
    const preflight = await fetch(`${sandbox.current.url}/cgi-bin/stable_token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'POST' },
    })

    expect(token.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
  })
})
