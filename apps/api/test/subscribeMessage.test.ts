import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { type RunningSandbox, startSandbox } from '@yuyue/wechat-sandbox'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type SubscribeMessage, WechatClient } from '../src/wechat/client'
import { parseTemplateFields } from '../src/wechat/subscribeTemplates'
import { fitTemplateData } from '../src/wechat/templateData'

const APP = { appId: 'wxsubscribe0000001', secret: 'subscribe-secret-0123456789abcdef' }
const SEND = '/cgi-bin/message/subscribe/send'
const log = pino({ level: 'silent' })

let sandbox: RunningSandbox
let templateId: string
let openid: string

function client(options: { timeoutMs?: number; apiBase?: string } = {}) {
  return new WechatClient({
    apiBase: options.apiBase ?? sandbox.url,
    apps: [APP],
    timeoutMs: options.timeoutMs ?? 3000,
    log,
    redis: null,
    redisPrefix: `yuyue-test-${randomBytes(4).toString('hex')}:`,
  })
}

function reminder(extra: Partial<SubscribeMessage> = {}): SubscribeMessage {
  const data = fitTemplateData(
    parseTemplateFields(undefined).reminder,
    {
      title: '一节名字长到必须在微信提醒里截断的周末亲子瑜伽课',
      startsAt: new Date('2026-12-07T07:00:00Z'),
      endsAt: new Date('2026-12-07T08:00:00Z'),
    },
    'Asia/Shanghai',
  )
  return { touser: openid, templateId, page: 'pages/bookings/index?id=42', data, ...extra }
}

function accept(times = 1) {
  for (let i = 0; i < times; i++) {
    sandbox.grantSubscriptions({ appId: APP.appId, openid, templateIds: [templateId] })
  }
}

const sends = () => sandbox.stats().calls[SEND]

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [APP] })
})
beforeEach(() => {
  templateId = sandbox.declareTemplate({ appId: APP.appId, keys: ['thing1', 'time2'] }).templateId
  openid = sandbox.issueLoginCode({ appId: APP.appId }).openid
})
afterEach(() => sandbox.reset())
afterAll(() => sandbox.close())

describe('sending a subscribe message', () => {
  it('delivers a booking fitted to the template, which WeChat accepts as it is', async () => {
    accept()

    const result = await client().sendSubscribeMessage(APP.appId, reminder({ miniprogramState: 'trial' }))

    expect(result).toEqual({ outcome: 'sent' })
    expect(sandbox.sentMessages(openid).messages).toEqual([
      expect.objectContaining({
        templateId,
        page: 'pages/bookings/index?id=42',
        miniprogramState: 'trial',
        data: {
          thing1: { value: '一节名字长到必须在微信提醒里截断的周末…' },
          time2: { value: '2026年12月7日 15:00' },
        },
      }),
    ])
  })

  it('reports 43101 as failed and does not call again when the person has no subscription left', async () => {
    accept()
    const wechat = client()
    await wechat.sendSubscribeMessage(APP.appId, reminder())

    const second = await wechat.sendSubscribeMessage(APP.appId, reminder())

    expect(second).toEqual({ outcome: 'failed', errcode: 43101 })
    expect(sends()).toBe(2)
    expect(sandbox.sentMessages().messages).toHaveLength(1)
  })

  it.each([
    [
      '47003: data that does not fit',
      { data: { thing1: { value: '瑜伽' }, time2: { value: '明天下午' } } },
      47003,
    ],
    ['40003: an openid WeChat does not know', { touser: 'o-stranger' }, 40003],
    ['40037: a template the app does not have', { templateId: 'not-a-template' }, 40037],
    ['41030: a page that is not a page', { page: 'https://example.com/' }, 41030],
  ])('reports %s as failed, after exactly one call', async (_name, change, errcode) => {
    accept()

    const result = await client().sendSubscribeMessage(
      APP.appId,
      reminder(change as Partial<SubscribeMessage>),
    )

    expect(result).toEqual({ outcome: 'failed', errcode })
    expect(sends()).toBe(1)
  })

  it('drops a token WeChat cancelled, fetches a fresh one and sends once more', async () => {
    accept(2)
    const wechat = client()
    await wechat.sendSubscribeMessage(APP.appId, reminder())
    sandbox.revokeTokens(APP.appId)

    const result = await wechat.sendSubscribeMessage(APP.appId, reminder())

    expect(result).toEqual({ outcome: 'sent' })
    expect(sends()).toBe(3)
    expect(sandbox.stats().outcomes[SEND]).toEqual({ ok: 2, '40001': 1 })
    expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(2)
  })

  it.each([40001, 42001])('retries a token error %i only once, then says to retry later', async (errcode) => {
    accept()
    sandbox.addFault({ path: SEND, errcode, times: 5 })

    const result = await client().sendSubscribeMessage(APP.appId, reminder())

    expect(result).toEqual({ outcome: 'retry', errcode })
    expect(sends()).toBe(2)
    expect(sandbox.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([{ templateId, unused: 1 }])
  })

  it('retries WeChat’s -1 within the timeout and delivers', async () => {
    accept()
    sandbox.addFault({ path: SEND, errcode: -1, times: 2 })

    expect(await client().sendSubscribeMessage(APP.appId, reminder())).toEqual({ outcome: 'sent' })
    expect(sends()).toBe(3)
  })

  it('says to retry later when WeChat stays busy (-1), having sent nothing', async () => {
    accept()
    sandbox.addFault({ path: SEND, errcode: -1, times: 10 })

    expect(await client().sendSubscribeMessage(APP.appId, reminder())).toEqual({
      outcome: 'retry',
      errcode: -1,
    })
    expect(sandbox.sentMessages().messages).toEqual([])
  })

  it('says to retry later when no access token can be had, without calling send', async () => {
    accept()
    sandbox.addFault({ path: '/cgi-bin/stable_token', httpStatus: 500 })

    expect(await client().sendSubscribeMessage(APP.appId, reminder())).toEqual({
      outcome: 'retry',
      errcode: null,
    })
    expect(sends()).toBe(0)
  })

  it('says to retry later when WeChat cannot be reached at all', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })

    const result = await client({ apiBase: `http://127.0.0.1:${closed}` }).sendSubscribeMessage(
      APP.appId,
      reminder(),
    )

    expect(result).toEqual({ outcome: 'retry', errcode: null })
  })

  it('reports unknown when the send is not answered in time, since WeChat may still deliver it', async () => {
    accept()
    const wechat = client({ timeoutMs: 1000 })
    // a first call (refused: 40037) fetches the token, so the timeout below falls on the send itself
    await wechat.sendSubscribeMessage(APP.appId, { ...reminder(), templateId: 'warm-up-token' })
    sandbox.addFault({ path: SEND, delayMs: 1500 })

    const result = await wechat.sendSubscribeMessage(APP.appId, reminder())
    await sleep(700)

    expect(result).toEqual({ outcome: 'unknown' })
    expect(sandbox.sentMessages(openid).messages).toHaveLength(1)
  })

  it('reports unknown when a gateway answers an HTTP error instead of WeChat', async () => {
    accept()
    sandbox.addFault({ path: SEND, httpStatus: 502 })

    expect(await client().sendSubscribeMessage(APP.appId, reminder())).toEqual({ outcome: 'unknown' })
    expect(sends()).toBe(1)
  })
})
