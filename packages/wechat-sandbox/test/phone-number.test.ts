import { beforeEach, describe, expect, it } from 'vitest'
import {
  APP,
  CODE_LIFETIME,
  legacyTokenFor,
  OTHER_APP,
  phoneNumber,
  stableTokenFor,
  TOKEN_LIFETIME,
  useSandbox,
} from './support'

const sandbox = useSandbox()
let accessToken: string

beforeEach(async () => {
  accessToken = String((await stableTokenFor(sandbox.current, APP)).access_token)
})

describe('POST /wxa/business/getuserphonenumber', () => {
  it('answers the phone of a fresh code, with errcode 0 and a watermark of the token’s app', async () => {
    const { code } = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })
    const before = Math.floor(Date.now() / 1000)

    const answer = await phoneNumber(sandbox.current, accessToken, { code })

    expect(answer).toEqual({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: '13800138000',
        purePhoneNumber: '13800138000',
        countryCode: '86',
        watermark: { timestamp: expect.any(Number), appid: APP.appId },
      },
    })
    const phone = answer.phone_info as { watermark: { timestamp: number } }
    expect(phone.watermark.timestamp).toBeGreaterThanOrEqual(before)
    expect(phone.watermark.timestamp).toBeLessThanOrEqual(before + 2)
  })

  it('puts +<country code> in front of phoneNumber outside mainland China', async () => {
    const { code } = sandbox.current.issuePhoneCode({
      appId: APP.appId,
      phoneNumber: '61234567',
      countryCode: '852',
    })

    const answer = await phoneNumber(sandbox.current, accessToken, { code })

    expect(answer.phone_info).toMatchObject({
      phoneNumber: '+85261234567',
      purePhoneNumber: '61234567',
      countryCode: '852',
    })
  })

  it('sends countryCode as a number when the code asks for it, as WeChat sometimes does', async () => {
    const { code } = sandbox.current.issuePhoneCode({
      appId: APP.appId,
      phoneNumber: '13800138000',
      countryCodeAsNumber: true,
    })

    const answer = await phoneNumber(sandbox.current, accessToken, { code })

    expect(answer.phone_info).toMatchObject({ countryCode: 86 })
  })

  it('stamps the watermark with another appid when the code asks for it', async () => {
    const { code } = sandbox.current.issuePhoneCode({
      appId: APP.appId,
      phoneNumber: '13800138000',
      watermarkAppId: 'wxsomeoneelse0001',
    })

    const answer = await phoneNumber(sandbox.current, accessToken, { code })

    expect(answer.phone_info).toMatchObject({ watermark: { appid: 'wxsomeoneelse0001' } })
  })

  it('refuses a code bound to another openid, then accepts it for its own openid, once', async () => {
    const { code } = sandbox.current.issuePhoneCode({
      appId: APP.appId,
      phoneNumber: '13800138000',
      openid: 'o-alice',
    })

    const stranger = await phoneNumber(sandbox.current, accessToken, { code, openid: 'o-mallory' })
    const owner = await phoneNumber(sandbox.current, accessToken, { code, openid: 'o-alice' })
    const again = await phoneNumber(sandbox.current, accessToken, { code, openid: 'o-alice' })

    expect(stranger.errcode).toBe(40029)
    expect(stranger.errmsg).toMatch(/does not belong to this openid, rid: /)
    expect(owner).toMatchObject({ errcode: 0, phone_info: { purePhoneNumber: '13800138000' } })
    expect(again.errcode).toBe(40163)
    expect(again.errmsg).toMatch(/^code been used, rid: /)
  })

  it('accepts a code bound to an openid when the caller sends no openid', async () => {
    const { code } = sandbox.current.issuePhoneCode({
      appId: APP.appId,
      phoneNumber: '13800138000',
      openid: 'o-alice',
    })

    expect((await phoneNumber(sandbox.current, accessToken, { code })).errcode).toBe(0)
  })

  it('accepts a code issued without openid for any openid, once', async () => {
    const { code } = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })

    expect((await phoneNumber(sandbox.current, accessToken, { code, openid: 'o-anyone' })).errcode).toBe(0)
    expect((await phoneNumber(sandbox.current, accessToken, { code })).errcode).toBe(40163)
  })

  it('refuses a code past 5 minutes, one issued for another app and an unknown one with 40029', async () => {
    const expired = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })
    const foreign = sandbox.current.issuePhoneCode({ appId: OTHER_APP.appId, phoneNumber: '13800138000' })
    sandbox.current.advanceClock(CODE_LIFETIME + 1000)
    const fresh = sandbox.current.issuePhoneCode({ appId: OTHER_APP.appId, phoneNumber: '13800138000' })

    expect((await phoneNumber(sandbox.current, accessToken, { code: expired.code })).errcode).toBe(40029)
    expect((await phoneNumber(sandbox.current, accessToken, { code: foreign.code })).errcode).toBe(40029)
    expect((await phoneNumber(sandbox.current, accessToken, { code: fresh.code })).errcode).toBe(40029)
    expect((await phoneNumber(sandbox.current, accessToken, { code: 'never-issued' })).errcode).toBe(40029)
  })

  it('answers 47001 without a code', async () => {
    const answer = await phoneNumber(sandbox.current, accessToken, { openid: 'o-alice' })

    expect(answer).toMatchObject({
      errcode: 47001,
      errmsg: expect.stringMatching(/^data format error, rid: /),
    })
  })

  it('answers 41001 without an access_token and 40001 for one WeChat never issued', async () => {
    const { code } = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })

    const missing = await phoneNumber(sandbox.current, null, { code })
    const unknown = await phoneNumber(sandbox.current, 'not-a-token', { code })

    expect(missing.errcode).toBe(41001)
    expect(unknown).toMatchObject({
      errcode: 40001,
      errmsg: expect.stringMatching(/^invalid credential, access_token is invalid or not latest, rid: /),
    })
    expect((await phoneNumber(sandbox.current, accessToken, { code })).errcode).toBe(0)
  })

  it('answers 40001 for a revoked token, stable or legacy', async () => {
    const legacy = String((await legacyTokenFor(sandbox.current, APP)).access_token)
    const { code } = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })

    expect(sandbox.current.revokeTokens(APP.appId)).toEqual({ revoked: 2 })

    expect((await phoneNumber(sandbox.current, accessToken, { code })).errcode).toBe(40001)
    expect((await phoneNumber(sandbox.current, legacy, { code })).errcode).toBe(40001)
  })

  it('answers 42001 for an expired token', async () => {
    sandbox.current.advanceClock(TOKEN_LIFETIME + 1000)
    const { code } = sandbox.current.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000' })

    const answer = await phoneNumber(sandbox.current, accessToken, { code })

    expect(answer).toMatchObject({
      errcode: 42001,
      errmsg: expect.stringMatching(/^access_token expired, rid: /),
    })
  })
})
