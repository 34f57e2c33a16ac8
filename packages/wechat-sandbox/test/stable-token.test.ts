import { describe, expect, it } from 'vitest'
import {
  APP,
  MINUTE,
  OTHER_APP,
  readJson,
  stableToken,
  stableTokenFor,
  TOKEN_LIFETIME,
  tokenVerdict,
  useSandbox,
} from './support'

const sandbox = useSandbox()
const ACCEPTED = 47001

describe('POST /cgi-bin/stable_token', () => {
  it('issues a URL-safe token of about 130 characters that lives 7200 s', async () => {
    const issued = await stableTokenFor(sandbox.current, APP)

    expect(issued).toEqual({ access_token: expect.any(String), expires_in: 7200 })
    expect(String(issued.access_token)).toMatch(/^[A-Za-z0-9_-]{120,140}$/)
    expect(await tokenVerdict(sandbox.current, issued.access_token)).toBe(ACCEPTED)
  })

  it('answers the same token on repeat, with its remaining lifetime', async () => {
    const first = await stableTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(10 * MINUTE)

    const second = await stableTokenFor(sandbox.current, APP)

    expect(second.access_token).toBe(first.access_token)
    // Real milliseconds pass between the two calls, and the remaining lifetime is rounded down.
    expect(second.expires_in).toBeGreaterThanOrEqual(7200 - 601)
    expect(second.expires_in).toBeLessThanOrEqual(7200 - 600)
  })

  it('keeps one token per app', async () => {
    const mine = await stableTokenFor(sandbox.current, APP)
    const theirs = await stableTokenFor(sandbox.current, OTHER_APP)

    expect(theirs.access_token).not.toBe(mine.access_token)
  })

  it('issues a new token in the last 5 minutes of the old one, which keeps working until its own expiry', async () => {
    const old = await stableTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(TOKEN_LIFETIME - 4 * MINUTE)

    const renewed = await stableTokenFor(sandbox.current, APP)

    expect(renewed.access_token).not.toBe(old.access_token)
    expect(renewed.expires_in).toBe(7200)
    expect(await tokenVerdict(sandbox.current, old.access_token)).toBe(ACCEPTED)
    expect((await stableTokenFor(sandbox.current, APP)).access_token).toBe(renewed.access_token)

    sandbox.current.advanceClock(4 * MINUTE)
    expect(await tokenVerdict(sandbox.current, old.access_token)).toBe(42001)
    expect(await tokenVerdict(sandbox.current, renewed.access_token)).toBe(ACCEPTED)
  })

  it('force_refresh issues a new token and cancels the previous one at once', async () => {
    const old = await stableTokenFor(sandbox.current, APP)

    const forced = await stableTokenFor(sandbox.current, APP, true)

    expect(forced.access_token).not.toBe(old.access_token)
    expect(forced.expires_in).toBe(7200)
    expect(await tokenVerdict(sandbox.current, old.access_token)).toBe(40001)
    expect(await tokenVerdict(sandbox.current, forced.access_token)).toBe(ACCEPTED)
    expect((await stableTokenFor(sandbox.current, APP)).access_token).toBe(forced.access_token)
  })

  it('answers the current token to a force_refresh within 30 s of the previous one', async () => {
    const forced = await stableTokenFor(sandbox.current, APP, true)
    sandbox.current.advanceClock(29_000)

    const tooSoon = await stableTokenFor(sandbox.current, APP, true)
    sandbox.current.advanceClock(2000)
    const allowed = await stableTokenFor(sandbox.current, APP, true)

    expect(tooSoon.access_token).toBe(forced.access_token)
    expect(await tokenVerdict(sandbox.current, forced.access_token)).toBe(40001)
    expect(allowed.access_token).not.toBe(forced.access_token)
  })

  it('allows 20 forced refreshes a day, then answers 45009 until the next day', async () => {
    // start just after midnight in China, where the quota's day begins: the 20 refreshes below take
    // ten sandbox minutes, which run past midnight when the suite runs at 15:50-16:00 UTC
    const chinaDay = 86_400_000
    const chinaNow = sandbox.current.state.clock.now() + 8 * 3600 * 1000
    sandbox.current.advanceClock(chinaDay - (chinaNow % chinaDay) + 1000)
    for (let refresh = 0; refresh < 20; refresh += 1) {
      expect(await stableTokenFor(sandbox.current, APP, true)).toHaveProperty('access_token')
      sandbox.current.advanceClock(31_000)
    }
    const current = await stableTokenFor(sandbox.current, APP)

    const refused = await stableTokenFor(sandbox.current, APP, true)

    expect(refused.errcode).toBe(45009)
    expect(refused.errmsg).toMatch(/^reach max api daily quota limit, rid: /)
    expect(await tokenVerdict(sandbox.current, current.access_token)).toBe(ACCEPTED)
    expect(await stableTokenFor(sandbox.current, OTHER_APP, true)).toHaveProperty('access_token')

    sandbox.current.advanceClock(24 * 60 * MINUTE)
    expect(await stableTokenFor(sandbox.current, APP, true)).toHaveProperty('access_token')
  })

  it('issues a new token in normal mode once the app’s tokens were revoked', async () => {
    const old = await stableTokenFor(sandbox.current, APP)

    sandbox.current.revokeTokens(APP.appId)
    const fresh = await stableTokenFor(sandbox.current, APP)

    expect(await tokenVerdict(sandbox.current, old.access_token)).toBe(40001)
    expect(fresh.access_token).not.toBe(old.access_token)
    expect(await tokenVerdict(sandbox.current, fresh.access_token)).toBe(ACCEPTED)
  })

  it('issues a new token in normal mode once the current one expired', async () => {
    const old = await stableTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(TOKEN_LIFETIME)

    const fresh = await stableTokenFor(sandbox.current, APP)

    expect(fresh.access_token).not.toBe(old.access_token)
    expect(fresh.expires_in).toBe(7200)
  })

  it.each([
    ['an unknown appid', { appid: 'wxnotconfigured', secret: APP.secret }, 40013],
    ['a wrong secret', { appid: APP.appId, secret: OTHER_APP.secret }, 40125],
    ['no appid', { secret: APP.secret }, 41002],
    ['no secret', { appid: APP.appId }, 41004],
  ])('refuses %s', async (_case, credentials, errcode) => {
    const answer = await stableToken(sandbox.current, { grant_type: 'client_credential', ...credentials })

    expect(answer.errcode).toBe(errcode)
  })

  it('refuses a grant_type other than client_credential with 40002', async () => {
    const answer = await stableToken(sandbox.current, {
      grant_type: 'authorization_code',
      appid: APP.appId,
      secret: APP.secret,
    })

    expect(answer.errcode).toBe(40002)
  })

  it('reads the body as JSON whatever the Content-Type, and answers 47001 when it is not JSON', async () => {
    const body = JSON.stringify({ grant_type: 'client_credential', appid: APP.appId, secret: APP.secret })
    const url = `${sandbox.current.url}/cgi-bin/stable_token`

    const unlabelled = await readJson(await fetch(url, { method: 'POST', body }))
    const broken = await readJson(await fetch(url, { method: 'POST', body: '{"appid":' }))

    expect(unlabelled).toHaveProperty('access_token')
    expect(broken.errcode).toBe(47001)
  })
})
