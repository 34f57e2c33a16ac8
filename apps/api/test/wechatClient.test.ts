import { randomBytes } from 'node:crypto'
import { type RunningSandbox, startSandbox } from '@yuyue/wechat-sandbox'
import { Redis } from 'ioredis'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { AppError } from '../src/errors'
import { WechatClient } from '../src/wechat/client'

const APP = { appId: 'wxclient00000000a1', secret: 'client-secret-0123456789abcdef0123' }
const log = pino({ level: 'silent' })

let sandbox: RunningSandbox

function client(options: { timeoutMs?: number; redis?: Redis | null; prefix?: string } = {}) {
  return new WechatClient({
    apiBase: sandbox.url,
    apps: [APP],
    timeoutMs: options.timeoutMs ?? 3000,
    log,
    redis: options.redis ?? null,
    redisPrefix: options.prefix ?? `yuyue-test-${randomBytes(4).toString('hex')}:`,
  })
}

function phoneCode(openid: string, phoneNumber = '13800138000', extra: Record<string, unknown> = {}) {
  return sandbox.issuePhoneCode({ appId: APP.appId, phoneNumber, openid, ...extra }).code
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [APP] })
})
afterEach(() => sandbox.reset())
afterAll(() => sandbox.close())

describe('code2Session', () => {
  it('exchanges a login code for the openid and unionid', async () => {
    const { code, openid } = sandbox.issueLoginCode({ appId: APP.appId, unionid: 'union-1' })
    const session = await client().code2Session(APP.appId, code)
    expect(session).toMatchObject({ openid, unionid: 'union-1' })
    expect(session.sessionKey).toMatch(/^[A-Za-z0-9+/=]{24}$/)
  })

  it('sends the same code to WeChat once when it arrives twice at the same moment', async () => {
    const wechat = client()
    const { code } = sandbox.issueLoginCode({ appId: APP.appId })
    const [a, b] = await Promise.all([
      wechat.code2Session(APP.appId, code),
      wechat.code2Session(APP.appId, code),
    ])
    expect(a.openid).toBe(b.openid)
    expect(sandbox.stats().calls['/sns/jscode2session']).toBe(1)
  })

  it('refuses a code already exchanged, as WeChat does, instead of handing its session to a second caller', async () => {
    const wechat = client()
    const { code } = sandbox.issueLoginCode({ appId: APP.appId })
    await wechat.code2Session(APP.appId, code)
    expect((await errorOf(wechat.code2Session(APP.appId, code))).code).toBe('WECHAT_CODE_INVALID')
    expect(sandbox.stats().outcomes['/sns/jscode2session']).toEqual({ ok: 1, '40163': 1 })
  })

  it('maps a used or unknown code to WECHAT_CODE_INVALID', async () => {
    const { code } = sandbox.issueLoginCode({ appId: APP.appId })
    await client().code2Session(APP.appId, code)
    expect((await errorOf(client().code2Session(APP.appId, code))).code).toBe('WECHAT_CODE_INVALID')
    expect((await errorOf(client().code2Session(APP.appId, 'never-issued'))).code).toBe('WECHAT_CODE_INVALID')
  })

  it.each([
    [40226, 'WECHAT_USER_BLOCKED', 403],
    [45011, 'RATE_LIMITED', 429],
    [40125, 'WECHAT_UNAVAILABLE', 502],
  ])('maps errcode %i to %s', async (errcode, code, status) => {
    sandbox.addFault({ path: '/sns/jscode2session', errcode })
    const error = await errorOf(
      client().code2Session(APP.appId, sandbox.issueLoginCode({ appId: APP.appId }).code),
    )
    expect(error.code).toBe(code)
    expect(error.statusCode).toBe(status)
  })

  it('retries WeChat’s -1 (system busy) and succeeds', async () => {
    sandbox.addFault({ path: '/sns/jscode2session', errcode: -1, times: 2 })
    const { code, openid } = sandbox.issueLoginCode({ appId: APP.appId })
    expect((await client().code2Session(APP.appId, code)).openid).toBe(openid)
    expect(sandbox.stats().calls['/sns/jscode2session']).toBe(3)
  })

  it('gives up on -1 after its retries with WECHAT_UNAVAILABLE', async () => {
    sandbox.addFault({ path: '/sns/jscode2session', errcode: -1, times: 10 })
    const error = await errorOf(
      client().code2Session(APP.appId, sandbox.issueLoginCode({ appId: APP.appId }).code),
    )
    expect(error.code).toBe('WECHAT_UNAVAILABLE')
    expect(sandbox.stats().calls['/sns/jscode2session']).toBe(4)
  })

  it('does not retry a code error', async () => {
    sandbox.addFault({ path: '/sns/jscode2session', errcode: 40029 })
    await errorOf(client().code2Session(APP.appId, sandbox.issueLoginCode({ appId: APP.appId }).code))
    expect(sandbox.stats().calls['/sns/jscode2session']).toBe(1)
  })

  it('answers WECHAT_TIMEOUT within the timeout when WeChat is slow', async () => {
    sandbox.addFault({ path: '/sns/jscode2session', delayMs: 3000 })
    const started = Date.now()
    const error = await errorOf(
      client({ timeoutMs: 300 }).code2Session(APP.appId, sandbox.issueLoginCode({ appId: APP.appId }).code),
    )
    expect(error.code).toBe('WECHAT_TIMEOUT')
    expect(error.statusCode).toBe(504)
    expect(Date.now() - started).toBeLessThan(800)
  })

  it('maps an HTTP error of WeChat’s gateway to WECHAT_UNAVAILABLE', async () => {
    sandbox.addFault({ path: '/sns/jscode2session', httpStatus: 503 })
    const error = await errorOf(
      client().code2Session(APP.appId, sandbox.issueLoginCode({ appId: APP.appId }).code),
    )
    expect(error.code).toBe('WECHAT_UNAVAILABLE')
  })

  it('refuses an app that is not configured', async () => {
    expect((await errorOf(client().code2Session('wxnotconfigured', 'code'))).code).toBe('UNKNOWN_APP')
  })
})

describe('phone number exchange', () => {
  it('sends the openid with the code, so a code issued to someone else is refused', async () => {
    const wechat = client()
    const code = phoneCode('o-owner')
    const error = await errorOf(wechat.getPhoneNumber(APP.appId, code, 'o-someone-else'))
    expect(error.code).toBe('WECHAT_CODE_INVALID')
    expect(await wechat.getPhoneNumber(APP.appId, code, 'o-owner')).toEqual({
      countryCode: '86',
      number: '13800138000',
    })
  })

  it('accepts countryCode as a number', async () => {
    const code = phoneCode('o-1', '51234567', { countryCode: '852', countryCodeAsNumber: true })
    expect(await client().getPhoneNumber(APP.appId, code, 'o-1')).toEqual({
      countryCode: '852',
      number: '51234567',
    })
  })

  it('refuses an answer whose watermark names another app', async () => {
    const code = phoneCode('o-1', '13800138000', { watermarkAppId: 'wxsomeoneelse00001' })
    expect((await errorOf(client().getPhoneNumber(APP.appId, code, 'o-1'))).code).toBe('WECHAT_UNAVAILABLE')
  })

  it('fetches the access token once for 50 concurrent exchanges', async () => {
    const wechat = client()
    const codes = Array.from({ length: 50 }, (_, i) => ({ openid: `o-${i}`, code: phoneCode(`o-${i}`) }))
    const phones = await Promise.all(
      codes.map(({ openid, code }) => wechat.getPhoneNumber(APP.appId, code, openid)),
    )
    expect(phones).toHaveLength(50)
    expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(1)
    expect(sandbox.stats().calls['/cgi-bin/token'] ?? 0).toBe(0)
  })

  it('drops a token WeChat calls invalid (40001), fetches a new one once and succeeds', async () => {
    const wechat = client()
    await wechat.getPhoneNumber(APP.appId, phoneCode('o-1'), 'o-1')
    sandbox.revokeTokens(APP.appId)
    expect(await wechat.getPhoneNumber(APP.appId, phoneCode('o-2'), 'o-2')).toMatchObject({
      number: '13800138000',
    })
    const stats = sandbox.stats()
    expect(stats.calls['/cgi-bin/stable_token']).toBe(2)
    expect(stats.outcomes['/wxa/business/getuserphonenumber']?.['40001']).toBe(1)
  })

  it('refreshes an expired token (42001) the same way', async () => {
    const wechat = client()
    await wechat.getPhoneNumber(APP.appId, phoneCode('o-1'), 'o-1')
    sandbox.addFault({ path: '/wxa/business/getuserphonenumber', errcode: 42001 })
    expect(await wechat.getPhoneNumber(APP.appId, phoneCode('o-2'), 'o-2')).toMatchObject({
      countryCode: '86',
    })
    expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(2)
  })

  it('does not loop when the fresh token is refused too', async () => {
    sandbox.addFault({ path: '/wxa/business/getuserphonenumber', errcode: 40001, times: 5 })
    const error = await errorOf(client().getPhoneNumber(APP.appId, phoneCode('o-1'), 'o-1'))
    expect(error.code).toBe('WECHAT_UNAVAILABLE')
    expect(sandbox.stats().calls['/wxa/business/getuserphonenumber']).toBe(2)
  })

  it('never uses /cgi-bin/token, whose every call cancels the token other instances hold', async () => {
    await client().getPhoneNumber(APP.appId, phoneCode('o-1'), 'o-1')
    expect(sandbox.stats().calls['/cgi-bin/token'] ?? 0).toBe(0)
  })
})

describe('the access token shared through Redis', () => {
  let redis: Redis
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'))
  })
  afterAll(() => redis.quit())

  it('is fetched once by several instances of one process', async () => {
    const prefix = `yuyue-test-${randomBytes(4).toString('hex')}:`
    const instances = Array.from({ length: 4 }, () => client({ redis, prefix }))
    await Promise.all(
      instances.flatMap((wechat, i) =>
        Array.from({ length: 10 }, (_, j) => {
          const openid = `o-${i}-${j}`
          return wechat.getPhoneNumber(APP.appId, phoneCode(openid), openid)
        }),
      ),
    )
    expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(1)
  })

  it('dropped on 40001 by one instance is fetched again once for all', async () => {
    const prefix = `yuyue-test-${randomBytes(4).toString('hex')}:`
    const [a, b] = [client({ redis, prefix }), client({ redis, prefix })]
    await a.getPhoneNumber(APP.appId, phoneCode('o-a'), 'o-a')
    sandbox.revokeTokens(APP.appId)
    await a.getPhoneNumber(APP.appId, phoneCode('o-a2'), 'o-a2')
    await b.getPhoneNumber(APP.appId, phoneCode('o-b'), 'o-b')
    expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(2)
  })
})
