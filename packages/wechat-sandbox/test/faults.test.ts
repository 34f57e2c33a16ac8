import { describe, expect, it } from 'vitest'
import { APP, code2Session, control, legacyTokenFor, readJson, stableTokenFor, useSandbox } from './support'

const sandbox = useSandbox()

describe('fault injection', () => {
  it('answers an injected errcode once, with HTTP 200 and WeChat’s errmsg, then behaves normally', async () => {
    const added = await control(sandbox.current, 'POST', '/faults', {
      path: '/cgi-bin/stable_token',
      errcode: -1,
    })
    const { id } = await readJson(added)

    const busy = await stableTokenFor(sandbox.current, APP)
    const normal = await stableTokenFor(sandbox.current, APP)

    expect(added.status).toBe(200)
    expect(id).toEqual(expect.any(String))
    expect(busy).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system error, rid: /) })
    expect(normal).toHaveProperty('access_token')
  })

  it('affects exactly `times` requests, oldest fault first, and only its own path', async () => {
    sandbox.current.addFault({ path: '/cgi-bin/token', errcode: 45011, times: 2 })
    sandbox.current.addFault({ path: '/cgi-bin/token', errcode: -1 })

    const stable = await stableTokenFor(sandbox.current, APP)
    const answers = []
    for (let call = 0; call < 4; call += 1) answers.push((await legacyTokenFor(sandbox.current, APP)).errcode)

    expect(stable).toHaveProperty('access_token')
    expect(answers).toEqual([45011, 45011, -1, undefined])
  })

  it('answers an injected HTTP status with a short plain-text body', async () => {
    sandbox.current.addFault({ path: '/sns/jscode2session', httpStatus: 502 })
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    const params = { appid: APP.appId, secret: APP.secret, js_code: code, grant_type: 'authorization_code' }

    const failed = await code2Session(sandbox.current, params)
    const retried = await code2Session(sandbox.current, params)

    expect(failed.status).toBe(502)
    expect(failed.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await failed.text()).toBe('502 Bad Gateway')
    // The gateway failed before WeChat saw the code, so it is still unused.
    expect(await readJson(retried)).toHaveProperty('openid')
  })

  it('keeps code2Session’s text/plain label on injected errcodes', async () => {
    sandbox.current.addFault({ path: '/sns/jscode2session', errcode: 40226 })

    const answer = await code2Session(sandbox.current, { appid: APP.appId })

    expect(answer.headers.get('content-type')).toBe('text/plain')
    expect((await readJson(answer)).errcode).toBe(40226)
  })

  it('delays the request, then handles it normally', async () => {
    sandbox.current.addFault({ path: '/cgi-bin/stable_token', delayMs: 300 })

    const started = performance.now()
    const delayed = await stableTokenFor(sandbox.current, APP)
    const delayedMs = performance.now() - started
    const startedAgain = performance.now()
    await stableTokenFor(sandbox.current, APP)
    const undelayedMs = performance.now() - startedAgain

    expect(delayed).toHaveProperty('access_token')
    expect(delayedMs).toBeGreaterThanOrEqual(290)
    expect(undelayedMs).toBeLessThan(200)
  })

  it('delays, then answers the injected errcode', async () => {
    sandbox.current.addFault({ path: '/cgi-bin/stable_token', delayMs: 150, errcode: -1 })

    const started = performance.now()
    const answer = await stableTokenFor(sandbox.current, APP)

    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(answer.errcode).toBe(-1)
  })

  it('forgets every pending fault on DELETE /__sandbox/faults', async () => {
    sandbox.current.addFault({ path: '/cgi-bin/stable_token', errcode: -1, times: 5 })

    const cleared = await control(sandbox.current, 'DELETE', '/faults')

    expect(cleared.status).toBe(200)
    expect(await stableTokenFor(sandbox.current, APP)).toHaveProperty('access_token')
  })

  it.each([
    ['an unknown path', { path: '/cgi-bin/nope', errcode: -1 }, /body\.path must be one of/],
    ['a query in the path', { path: '/cgi-bin/token?appid=x', errcode: -1 }, /body\.path must be one of/],
    ['both errcode and httpStatus', { path: '/cgi-bin/token', errcode: -1, httpStatus: 500 }, /not both/],
    ['nothing to do', { path: '/cgi-bin/token' }, /needs an errcode, an httpStatus or a delayMs/],
    ['errcode 0', { path: '/cgi-bin/token', errcode: 0 }, /0 means success/],
    ['a non-error httpStatus', { path: '/cgi-bin/token', httpStatus: 200 }, /httpStatus must be >= 400/],
    ['a negative delay', { path: '/cgi-bin/token', delayMs: -5 }, /delayMs must be >= 0/],
    ['zero times', { path: '/cgi-bin/token', errcode: -1, times: 0 }, /times must be >= 1/],
  ])('refuses a fault with %s with HTTP 400', async (_case, body, message) => {
    const response = await control(sandbox.current, 'POST', '/faults', body)

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(message)
  })
})
