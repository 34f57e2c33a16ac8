import { describe, expect, it } from 'vitest'
import {
  APP,
  legacyToken,
  legacyTokenFor,
  MINUTE,
  OTHER_APP,
  stableTokenFor,
  TOKEN_LIFETIME,
  tokenVerdict,
  useSandbox,
} from './support'

const sandbox = useSandbox()
const ACCEPTED = 47001

describe('GET /cgi-bin/token (legacy)', () => {
  it('issues a new token on every call', async () => {
    const first = await legacyTokenFor(sandbox.current, APP)
    const second = await legacyTokenFor(sandbox.current, APP)

    expect(first).toEqual({ access_token: expect.any(String), expires_in: 7200 })
    expect(second.access_token).not.toBe(first.access_token)
  })

  it('lets the previous token work 5 more minutes, then answers 40001 for it', async () => {
    const previous = await legacyTokenFor(sandbox.current, APP)
    const latest = await legacyTokenFor(sandbox.current, APP)

    sandbox.current.advanceClock(4 * MINUTE)
    expect(await tokenVerdict(sandbox.current, previous.access_token)).toBe(ACCEPTED)
    sandbox.current.advanceClock(MINUTE + 1000)

    expect(await tokenVerdict(sandbox.current, previous.access_token)).toBe(40001)
    expect(await tokenVerdict(sandbox.current, latest.access_token)).toBe(ACCEPTED)
  })

  it('neither cancels nor is cancelled by the stable token', async () => {
    const stable = await stableTokenFor(sandbox.current, APP)
    const legacy = await legacyTokenFor(sandbox.current, APP)
    await legacyTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(31_000)
    await stableTokenFor(sandbox.current, APP, true)
    const legacyAfterForce = await legacyTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(10 * MINUTE)

    expect(await tokenVerdict(sandbox.current, stable.access_token)).toBe(40001)
    expect(await tokenVerdict(sandbox.current, legacy.access_token)).toBe(40001)
    expect(await tokenVerdict(sandbox.current, legacyAfterForce.access_token)).toBe(ACCEPTED)

    const forcedStable = await stableTokenFor(sandbox.current, APP)
    await legacyTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(10 * MINUTE)
    expect(await tokenVerdict(sandbox.current, forcedStable.access_token)).toBe(ACCEPTED)
    expect((await stableTokenFor(sandbox.current, APP)).access_token).toBe(forcedStable.access_token)
  })

  it('does not cancel the legacy token of another app', async () => {
    const mine = await legacyTokenFor(sandbox.current, APP)
    await legacyTokenFor(sandbox.current, OTHER_APP)
    sandbox.current.advanceClock(6 * MINUTE)

    expect(await tokenVerdict(sandbox.current, mine.access_token)).toBe(ACCEPTED)
  })

  it('answers 42001 once the token’s 7200 s are over', async () => {
    const token = await legacyTokenFor(sandbox.current, APP)
    sandbox.current.advanceClock(TOKEN_LIFETIME)

    expect(await tokenVerdict(sandbox.current, token.access_token)).toBe(42001)
  })

  it.each([
    ['a wrong grant_type', { grant_type: 'authorization_code', appid: APP.appId, secret: APP.secret }, 40002],
    [
      'an unknown appid',
      { grant_type: 'client_credential', appid: 'wxnotconfigured', secret: APP.secret },
      40013,
    ],
    ['a wrong secret', { grant_type: 'client_credential', appid: APP.appId, secret: 'nope' }, 40125],
    ['no appid', { grant_type: 'client_credential', secret: APP.secret }, 41002],
    ['no secret', { grant_type: 'client_credential', appid: APP.appId }, 41004],
  ])('refuses %s', async (_case, params, errcode) => {
    expect((await legacyToken(sandbox.current, params)).errcode).toBe(errcode)
  })
})
