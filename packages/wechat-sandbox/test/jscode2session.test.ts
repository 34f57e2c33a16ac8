import { describe, expect, it } from 'vitest'
import {
  APP,
  CODE_LIFETIME,
  code2Session,
  code2SessionFor,
  control,
  OTHER_APP,
  readJson,
  useSandbox,
} from './support'

const sandbox = useSandbox()
const RID = /, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/

describe('GET /sns/jscode2session', () => {
  it('exchanges a fresh code for the openid and a new 16-byte session_key, without errcode', async () => {
    const first = sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-alice' })
    const second = sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-alice' })

    const one = await code2SessionFor(sandbox.current, APP, first.code)
    const two = await code2SessionFor(sandbox.current, APP, second.code)

    expect(one).toEqual({ openid: 'o-alice', session_key: expect.any(String) })
    expect(Buffer.from(String(one.session_key), 'base64')).toHaveLength(16)
    expect(two.openid).toBe('o-alice')
    expect(two.session_key).not.toBe(one.session_key)
  })

  it('labels its JSON text/plain, like WeChat, on success and on errors', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    const params = { appid: APP.appId, secret: APP.secret, js_code: code, grant_type: 'authorization_code' }

    const success = await code2Session(sandbox.current, params)
    const reused = await code2Session(sandbox.current, params)

    expect(success.headers.get('content-type')).toBe('text/plain')
    expect(reused.headers.get('content-type')).toBe('text/plain')
    expect(reused.status).toBe(200)
  })

  it('answers unionid only for identities that have one, and keeps it for later codes of that openid', async () => {
    const plain = sandbox.current.issueLoginCode({ appId: APP.appId })
    const bound = sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-bob', unionid: 'u-bob' })
    const again = sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-bob' })

    expect(await code2SessionFor(sandbox.current, APP, plain.code)).not.toHaveProperty('unionid')
    expect(await code2SessionFor(sandbox.current, APP, bound.code)).toMatchObject({ unionid: 'u-bob' })
    expect(again.unionid).toBe('u-bob')
    expect(await code2SessionFor(sandbox.current, APP, again.code)).toMatchObject({ unionid: 'u-bob' })
  })

  it('gives a new random openid shaped like WeChat’s when none is asked for', async () => {
    const response = await control(sandbox.current, 'POST', '/login-code', { appId: APP.appId })
    const issued = await readJson(response)

    expect(response.status).toBe(200)
    expect(issued.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
    expect(issued.unionid).toBeNull()
    expect(issued.code).toMatch(/^[A-Za-z0-9]{32}$/)
    expect(await code2SessionFor(sandbox.current, APP, String(issued.code))).toMatchObject({
      openid: issued.openid,
    })
  })

  it('refuses a code used before with 40163 and a WeChat-style errmsg', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    await code2SessionFor(sandbox.current, APP, code)

    const reused = await code2SessionFor(sandbox.current, APP, code)

    expect(reused.errcode).toBe(40163)
    expect(reused.errmsg).toMatch(/^code been used, rid: /)
    expect(reused.errmsg).toMatch(RID)
  })

  it('accepts a code just under 5 minutes old and refuses one past 5 minutes with 40029', async () => {
    const young = sandbox.current.issueLoginCode({ appId: APP.appId })
    const old = sandbox.current.issueLoginCode({ appId: APP.appId })

    sandbox.current.advanceClock(CODE_LIFETIME - 1000)
    expect(await code2SessionFor(sandbox.current, APP, young.code)).toHaveProperty('openid')
    sandbox.current.advanceClock(2000)
    const expired = await code2SessionFor(sandbox.current, APP, old.code)

    expect(expired.errcode).toBe(40029)
    expect(expired.errmsg).toMatch(/^invalid code, rid: /)
  })

  it('refuses a code issued to another app and an unknown code with 40029', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: OTHER_APP.appId })

    expect((await code2SessionFor(sandbox.current, APP, code)).errcode).toBe(40029)
    expect((await code2SessionFor(sandbox.current, APP, 'never-issued')).errcode).toBe(40029)
    expect(await code2SessionFor(sandbox.current, OTHER_APP, code)).toHaveProperty('openid')
  })

  it('refuses an unknown appid with 40013 and a wrong secret with 40125', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })

    const unknownApp = await code2SessionFor(
      sandbox.current,
      { appId: 'wxnotconfigured', secret: APP.secret },
      code,
    )
    const wrongSecret = await code2SessionFor(
      sandbox.current,
      { appId: APP.appId, secret: OTHER_APP.secret },
      code,
    )

    expect(unknownApp).toMatchObject({
      errcode: 40013,
      errmsg: expect.stringMatching(/^invalid appid, rid: /),
    })
    expect(wrongSecret).toMatchObject({
      errcode: 40125,
      errmsg: expect.stringMatching(/^invalid appsecret, rid: /),
    })
    // A refused request must not burn the code.
    expect(await code2SessionFor(sandbox.current, APP, code)).toHaveProperty('openid')
  })

  it.each([
    ['appid', 41002],
    ['secret', 41004],
    ['js_code', 41008],
    ['grant_type', 40002],
  ])('answers a request without %s with %i', async (missing, errcode) => {
    const params: Record<string, string> = {
      appid: APP.appId,
      secret: APP.secret,
      js_code: 'some-code',
      grant_type: 'authorization_code',
    }
    delete params[missing]

    const answer = await readJson(await code2Session(sandbox.current, params))

    expect(answer.errcode).toBe(errcode)
    expect(answer.errmsg).toMatch(RID)
  })

  it('refuses a grant_type other than authorization_code with 40002', async () => {
    const { code } = sandbox.current.issueLoginCode({ appId: APP.appId })
    const params = { appid: APP.appId, secret: APP.secret, js_code: code, grant_type: 'client_credential' }

    expect((await readJson(await code2Session(sandbox.current, params))).errcode).toBe(40002)
  })

  it('refuses, as the control API, a unionid that contradicts the one an openid already has', async () => {
    sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-carol', unionid: 'u-carol' })

    const response = await control(sandbox.current, 'POST', '/login-code', {
      appId: APP.appId,
      openid: 'o-carol',
      unionid: 'u-someone-else',
    })

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(/already has unionid u-carol/)
  })
})
