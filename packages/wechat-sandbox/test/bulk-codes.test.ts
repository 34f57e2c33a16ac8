import { describe, expect, it } from 'vitest'
import { BULK_CODES_MAX } from '../src/index'
import {
  APP,
  code2SessionFor,
  control,
  OTHER_APP,
  phoneNumber,
  readJson,
  stableTokenFor,
  useSandbox,
} from './support'

const sandbox = useSandbox()

interface IssuedLogin {
  code: string
  openid: string
  unionid: string | null
}

describe('POST /__sandbox/login-codes (load generation)', () => {
  it('issues one single-use code per identity, in order, each exchanging for its own openid', async () => {
    const response = await control(sandbox.current, 'POST', '/login-codes', {
      appId: APP.appId,
      identities: [{ openid: 'o-ann' }, { openid: 'o-ben', unionid: 'u-ben' }, {}],
    })
    const { codes } = (await readJson(response)) as { codes: IssuedLogin[] }

    expect(response.status).toBe(200)
    expect(codes).toHaveLength(3)
    expect(codes[0]).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      openid: 'o-ann',
      unionid: null,
    })
    expect(codes[1]).toMatchObject({ openid: 'o-ben', unionid: 'u-ben' })
    expect(codes[2]!.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/)
    expect(new Set(codes.map((c) => c.code)).size).toBe(3)
    expect(await code2SessionFor(sandbox.current, APP, codes[0]!.code)).toMatchObject({ openid: 'o-ann' })
    expect(await code2SessionFor(sandbox.current, APP, codes[1]!.code)).toMatchObject({ unionid: 'u-ben' })
    expect((await code2SessionFor(sandbox.current, APP, codes[0]!.code)).errcode).toBe(40163)
  })

  it('gives several codes to the same openid when asked, all of them valid once', async () => {
    const codes = sandbox.current.issueLoginCodes({
      appId: APP.appId,
      identities: [{ openid: 'o-cat' }, { openid: 'o-cat' }],
    })

    for (const { code } of codes) {
      expect(await code2SessionFor(sandbox.current, APP, code)).toMatchObject({ openid: 'o-cat' })
    }
  })

  it('keeps the unionid an openid already has, and a code of one app is refused by another', async () => {
    sandbox.current.issueLoginCode({ appId: APP.appId, openid: 'o-dan', unionid: 'u-dan' })

    const [code] = sandbox.current.issueLoginCodes({ appId: APP.appId, identities: [{ openid: 'o-dan' }] })

    expect(code!.unionid).toBe('u-dan')
    expect((await code2SessionFor(sandbox.current, OTHER_APP, code!.code)).errcode).toBe(40029)
  })

  it('refuses the whole batch, issuing nothing, when one identity asks for a unionid other than its own', async () => {
    const response = await control(sandbox.current, 'POST', '/login-codes', {
      appId: APP.appId,
      identities: [
        { openid: 'o-eve', unionid: 'u-eve' },
        { openid: 'o-eve', unionid: 'u-other' },
      ],
    })

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(/already has unionid u-eve/)
    const [later] = sandbox.current.issueLoginCodes({ appId: APP.appId, identities: [{ openid: 'o-eve' }] })
    expect(later!.unionid).toBeNull()
  })

  it('takes a batch of the largest size in one request', async () => {
    const identities = Array.from({ length: BULK_CODES_MAX }, (_, i) => ({ openid: `o-load-${i}` }))

    const response = await control(sandbox.current, 'POST', '/login-codes', { appId: APP.appId, identities })
    const { codes } = (await readJson(response)) as { codes: IssuedLogin[] }

    expect(response.status).toBe(200)
    expect(codes).toHaveLength(BULK_CODES_MAX)
    expect(codes.at(-1)!.openid).toBe(`o-load-${BULK_CODES_MAX - 1}`)
  })

  it.each([
    [{ appId: APP.appId, identities: [] }, /body\.identities must NOT have fewer than 1 items/],
    [{ appId: APP.appId, identities: [{ openId: 'o-typo' }] }, /unknown field "openId"/],
    [{ appId: APP.appId, identities: [{ openid: '' }] }, /openid must NOT have fewer than 1 characters/],
    [{ appId: 'wxnotconfigured', identities: [{}] }, /unknown appId wxnotconfigured/],
    [{ appId: APP.appId }, /body must have required property 'identities'/],
  ])('answers %j with HTTP 400 and a clear message', async (body, message) => {
    const response = await control(sandbox.current, 'POST', '/login-codes', body)

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(message)
  })

  it('refuses a batch larger than the largest size', async () => {
    const identities = Array.from({ length: BULK_CODES_MAX + 1 }, () => ({}))

    const response = await control(sandbox.current, 'POST', '/login-codes', { appId: APP.appId, identities })

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(/must NOT have more than 50000 items/)
  })
})

describe('POST /__sandbox/phone-codes (load generation)', () => {
  it('issues one code per number, in order, each bound to its openid', async () => {
    const token = String((await stableTokenFor(sandbox.current, APP)).access_token)
    const response = await control(sandbox.current, 'POST', '/phone-codes', {
      appId: APP.appId,
      phones: [
        { phoneNumber: '13800138000', openid: 'o-ann' },
        { phoneNumber: '91234567', countryCode: '65', openid: 'o-ben' },
      ],
    })
    const { codes } = (await readJson(response)) as { codes: { code: string }[] }

    expect(response.status).toBe(200)
    expect(codes).toHaveLength(2)
    const ann = await phoneNumber(sandbox.current, token, { code: codes[0]!.code, openid: 'o-ann' })
    const benAsAnn = await phoneNumber(sandbox.current, token, { code: codes[1]!.code, openid: 'o-ann' })
    const ben = await phoneNumber(sandbox.current, token, { code: codes[1]!.code, openid: 'o-ben' })
    expect(ann.phone_info).toMatchObject({ purePhoneNumber: '13800138000', countryCode: '86' })
    expect(benAsAnn.errcode).toBe(40029)
    expect(ben.phone_info).toMatchObject({ phoneNumber: '+6591234567', countryCode: '65' })
  })

  it('refuses the whole batch when one number is malformed, over HTTP and in-process', async () => {
    const phones = [{ phoneNumber: '13800138000' }, { phoneNumber: '138-0013' }]

    const response = await control(sandbox.current, 'POST', '/phone-codes', { appId: APP.appId, phones })

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(/body\.phones\.1\.phoneNumber must match/)
    expect(() => sandbox.current.issuePhoneCodes({ appId: APP.appId, phones })).toThrow(
      /phoneNumber must be the national number/,
    )
  })

  it.each([
    [{ appId: APP.appId, phones: [] }, /body\.phones must NOT have fewer than 1 items/],
    [{ appId: APP.appId, phones: [{}] }, /must have required property 'phoneNumber'/],
    [{ appId: 'wxnotconfigured', phones: [{ phoneNumber: '13800138000' }] }, /unknown appId/],
  ])('answers %j with HTTP 400 and a clear message', async (body, message) => {
    const response = await control(sandbox.current, 'POST', '/phone-codes', body)

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(message)
  })
})
