import { beforeEach, describe, expect, it } from 'vitest'
import { parseTemplateList, startSandbox } from '../src/index'
import {
  APP,
  control,
  type Json,
  OTHER_APP,
  readJson,
  stableTokenFor,
  TOKEN_LIFETIME,
  useSandbox,
} from './support'

const sandbox = useSandbox()
const REMINDER_KEYS = ['thing1', 'time2', 'character_string3']
let accessToken: string
let templateId: string
let openid: string

function send(body: Json, token: string | null = accessToken): Promise<Json> {
  const query = token === null ? '' : `?${new URLSearchParams({ access_token: token })}`
  return fetch(`${sandbox.current.url}/cgi-bin/message/subscribe/send${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(readJson)
}

function reminder(data: Record<string, string> = {}, extra: Json = {}): Json {
  const values = { thing1: '瑜伽课', time2: '2026年12月7日 15:00', character_string3: 'B-1024', ...data }
  return {
    touser: openid,
    template_id: templateId,
    data: Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])),
    ...extra,
  }
}

function accept(who = openid, ids = [templateId]) {
  return sandbox.current.grantSubscriptions({ appId: APP.appId, openid: who, templateIds: ids })
}

beforeEach(async () => {
  accessToken = String((await stableTokenFor(sandbox.current, APP)).access_token)
  templateId = sandbox.current.declareTemplate({ appId: APP.appId, keys: REMINDER_KEYS }).templateId
  openid = sandbox.current.issueLoginCode({ appId: APP.appId }).openid
})

describe('POST /cgi-bin/message/subscribe/send', () => {
  it('delivers a message the person accepted, once: the second send finds no subscription (43101)', async () => {
    accept()

    const first = await send(reminder({}, { page: 'pages/bookings/index?id=7' }))
    const second = await send(reminder())

    expect(first).toEqual({ errcode: 0, errmsg: 'ok' })
    expect(second).toMatchObject({
      errcode: 43101,
      errmsg: expect.stringMatching(/^user refuse to accept the msg, rid: /),
    })
    expect(sandbox.current.sentMessages(openid).messages).toEqual([
      {
        appId: APP.appId,
        touser: openid,
        templateId,
        page: 'pages/bookings/index?id=7',
        data: {
          thing1: { value: '瑜伽课' },
          time2: { value: '2026年12月7日 15:00' },
          character_string3: { value: 'B-1024' },
        },
        miniprogramState: 'formal',
        lang: 'zh_CN',
        sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ])
  })

  it('refuses a person who never accepted with 43101 and sends nothing', async () => {
    const answer = await send(reminder())

    expect(answer.errcode).toBe(43101)
    expect(sandbox.current.sentMessages().messages).toEqual([])
  })

  it('adds accepts up and spends one per send, per person and per template', async () => {
    const cancelled = sandbox.current.declareTemplate({ appId: APP.appId, keys: ['thing1'] }).templateId
    accept()
    accept(openid, [templateId, cancelled])

    expect(sandbox.current.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([
      { templateId, unused: 2 },
      { templateId: cancelled, unused: 1 },
    ])
    expect((await send(reminder())).errcode).toBe(0)
    expect((await send(reminder())).errcode).toBe(0)
    expect((await send(reminder())).errcode).toBe(43101)
    expect(
      (await send({ touser: openid, template_id: cancelled, data: { thing1: { value: '已取消' } } })).errcode,
    ).toBe(0)
    expect(sandbox.current.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([
      { templateId, unused: 0 },
      { templateId: cancelled, unused: 0 },
    ])
  })

  it('does not let one person’s accept serve another person', async () => {
    const other = sandbox.current.issueLoginCode({ appId: APP.appId }).openid
    accept(other)

    expect((await send(reminder())).errcode).toBe(43101)
    expect((await send({ ...reminder(), touser: other })).errcode).toBe(0)
  })

  it('spends the accept on a send whose data does not fit (47003), as SPEC §6 counts every outcome', async () => {
    accept()

    const refused = await send(reminder({ thing1: '这是一个超过二十个字符的非常非常长的课程名称啊' }))
    const retried = await send(reminder())

    expect(refused).toMatchObject({
      errcode: 47003,
      errmsg: expect.stringMatching(/^argument invalid! data\.thing1\.value invalid, rid: /),
    })
    expect(retried.errcode).toBe(43101)
  })

  it('answers 47003 naming a key the data lacks, and ignores keys the template lacks', async () => {
    accept()
    accept()
    const body = reminder()
    delete (body.data as Json).time2
    const missing = await send(body)
    const extra = await send(reminder({ thing9: 'ignored' }))

    expect(missing.errmsg).toMatch(/^argument invalid! data\.time2\.value is empty, rid: /)
    expect(extra.errcode).toBe(0)
    expect(sandbox.current.sentMessages().messages[0]?.data).not.toHaveProperty('thing9')
  })

  it('answers 40003 for a missing openid, or one WeChat does not know for this app', async () => {
    const foreign = sandbox.current.issueLoginCode({ appId: OTHER_APP.appId }).openid
    accept()

    expect((await send({ ...reminder(), touser: '' })).errcode).toBe(40003)
    expect((await send({ ...reminder(), touser: 'o-never-seen' })).errcode).toBe(40003)
    expect((await send({ ...reminder(), touser: foreign })).errcode).toBe(40003)
    expect((await send(reminder())).errcode).toBe(0)
  })

  it('answers 40037 for a missing template id, an unknown one, or one of another app', async () => {
    const theirs = sandbox.current.declareTemplate({ appId: OTHER_APP.appId, keys: ['thing1'] }).templateId
    accept()

    const answers = await Promise.all(
      [undefined, 'never-declared', theirs].map((id) => send({ ...reminder(), template_id: id })),
    )

    expect(answers.map((answer) => answer.errcode)).toEqual([40037, 40037, 40037])
    expect(answers[0]?.errmsg).toMatch(/^invalid template_id, rid: /)
    expect(sandbox.current.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([
      { templateId, unused: 1 },
    ])
  })

  it('answers 41030 for a page that is not a page of the app', async () => {
    sandbox.current.declarePages({ appId: APP.appId, pages: ['pages/home/index', 'pages/bookings/index'] })
    accept()
    accept()
    accept()

    expect((await send(reminder({}, { page: 'pages/nowhere/index' }))).errcode).toBe(41030)
    expect((await send(reminder({}, { page: 'https://example.com/' }))).errcode).toBe(41030)
    expect((await send(reminder({}, { page: '/pages/bookings/index?id=3' }))).errcode).toBe(0)
  })

  it('answers 41001 without a token, 40001 for a revoked one and 42001 for an expired one, spending nothing', async () => {
    accept()
    const missing = await send(reminder(), null)
    sandbox.current.revokeTokens(APP.appId)
    const revoked = await send(reminder())
    const fresh = String((await stableTokenFor(sandbox.current, APP)).access_token)
    sandbox.current.advanceClock(TOKEN_LIFETIME + 1000)
    const expired = await send(reminder(), fresh)

    expect([missing.errcode, revoked.errcode, expired.errcode]).toEqual([41001, 40001, 42001])
    expect(sandbox.current.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([
      { templateId, unused: 1 },
    ])
  })

  it('answers an injected -1 without spending the accept, and counts every call', async () => {
    accept()
    sandbox.current.addFault({ path: '/cgi-bin/message/subscribe/send', errcode: -1 })

    const busy = await send(reminder())
    const delivered = await send(reminder())

    expect(busy.errcode).toBe(-1)
    expect(delivered.errcode).toBe(0)
    expect(sandbox.current.stats().outcomes['/cgi-bin/message/subscribe/send']).toEqual({ '-1': 1, ok: 1 })
  })

  it('answers 47001 for a body that is not JSON or an unknown miniprogram_state', async () => {
    accept()
    const notJson = await fetch(
      `${sandbox.current.url}/cgi-bin/message/subscribe/send?access_token=${accessToken}`,
      { method: 'POST', body: '{"touser":' },
    ).then(readJson)

    expect(notJson.errcode).toBe(47001)
    expect((await send(reminder({}, { miniprogram_state: 'beta' }))).errcode).toBe(47001)
  })

  it('records miniprogram_state and lang as sent', async () => {
    accept()

    await send(reminder({}, { miniprogram_state: 'developer', lang: 'en_US' }))

    expect(sandbox.current.sentMessages().messages[0]).toMatchObject({
      miniprogramState: 'developer',
      lang: 'en_US',
    })
  })
})

describe('value rules of template keys (47003 when a value does not fit)', () => {
  const cases: [string, string[], string[]][] = [
    ['thing', ['瑜伽课', 'a'.repeat(20), '二十个字符以内的课程名称，含标点！'], ['a'.repeat(21), '换\n行']],
    ['number', ['339208499', '3.14'], ['-1', '1e5', '1'.repeat(33), '１２']],
    ['letter', ['Yoga'], ['Yoga1', 'a'.repeat(33), '瑜伽']],
    ['symbol', ['¥', '-+#%!'], ['a', '-+#%!?', '中']],
    ['character_string', ['B-1024', 'a'.repeat(32)], ['a'.repeat(33), '课程B', 'B 1024']],
    [
      'time',
      [
        '15:01',
        '2019年10月1日 15:01',
        '2026-12-07 09:05:30',
        '15:00~16:00',
        '2026年12月7日 15:00~2026年12月7日 16:00',
      ],
      ['2019年10月1日', '25:00', '3pm', '15:01 '],
    ],
    [
      'date',
      [
        '2019年10月1日',
        '2019年10月1日 15:01',
        '2018-01-01',
        '2018/01/01',
        '2018.01.01',
        '2018-01',
        '01-01',
        '10月1日',
      ],
      ['15:01', '2018-01/01', 'tomorrow'],
    ],
    ['amount', ['¥100', '$12.50', '¥100元', '100元'], ['¥12345678901', '100 元', '一百元']],
    ['phone_number', ['+86-0766-66888866', '13800138000'], ['1'.repeat(18), '138 0013 8000', '电话']],
    ['car_number', ['粤A8Z888挂', '粤A12345'], ['粤A8Z888挂1', 'A-123', '粤A中123']],
    ['name', ['张三', '欧阳娜娜', 'Tom Smith', '张Tom'], ['一二三四五六七八九十一', 'a'.repeat(21), 'R2D2']],
    ['phrase', ['配送中', '审核通过'], ['六个汉字太长', 'ok', '已 取消']],
  ]

  it.each(cases)('%s accepts %j and refuses %j', async (type, good, bad) => {
    const key = `${type}1`
    const id = sandbox.current.declareTemplate({ appId: APP.appId, keys: [key] }).templateId
    const answers: Record<string, unknown> = {}
    for (const value of [...good, ...bad]) {
      sandbox.current.grantSubscriptions({ appId: APP.appId, openid, templateIds: [id] })
      const answer = await send({ touser: openid, template_id: id, data: { [key]: { value } } })
      answers[value] = answer.errcode
    }

    expect(answers).toEqual(
      Object.fromEntries([...good.map((value) => [value, 0]), ...bad.map((value) => [value, 47003])]),
    )
  })
})

describe('subscribe-message control routes', () => {
  it('declares a template over HTTP, typing each key from its name', async () => {
    const response = await control(sandbox.current, 'POST', '/templates', {
      appId: APP.appId,
      templateId: 'tmpl-reminder-0001',
      keys: ['thing1', 'phone_number2'],
    })

    expect(response.status).toBe(200)
    expect(await readJson(response)).toEqual({
      templateId: 'tmpl-reminder-0001',
      keys: [
        { key: 'thing1', type: 'thing' },
        { key: 'phone_number2', type: 'phone_number' },
      ],
    })
  })

  it('gives a template without an id a random one shaped like WeChat’s', () => {
    expect(templateId).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('grants subscriptions over HTTP (what the H5 build’s requestSubscribeMessage does) and reads them back', async () => {
    const granted = await control(sandbox.current, 'POST', '/subscriptions', {
      appId: APP.appId,
      openid: 'o-browser',
      templateIds: [templateId],
    })
    const read = await control(
      sandbox.current,
      'GET',
      `/subscriptions?${new URLSearchParams({ appId: APP.appId, openid: 'o-browser' })}`,
    )

    expect(granted.status).toBe(200)
    expect(await readJson(read)).toEqual({ subscriptions: [{ templateId, unused: 1 }] })
    expect((await send({ ...reminder(), touser: 'o-browser' })).errcode).toBe(0)
  })

  it('grants many people’s accepts in one batch for load generation, all or nothing', async () => {
    const people = Array.from({ length: 1000 }, (_, i) => `o-load-${i}`)
    const refused = await control(sandbox.current, 'POST', '/subscriptions/batch', {
      appId: APP.appId,
      grants: [
        ...people.map((openid) => ({ openid, templateIds: [templateId] })),
        { openid: 'o-x', templateIds: ['nope'] },
      ],
    })
    const granted = await control(sandbox.current, 'POST', '/subscriptions/batch', {
      appId: APP.appId,
      grants: people.map((openid) => ({ openid, templateIds: [templateId] })),
    })

    expect(refused.status).toBe(400)
    expect(await readJson(granted)).toEqual({ granted: 1000 })
    expect(sandbox.current.unusedSubscriptions(APP.appId, 'o-load-999').subscriptions).toEqual([
      { templateId, unused: 1 },
    ])
    expect((await send({ ...reminder(), touser: 'o-load-0' })).errcode).toBe(0)
  })

  it('lists sent messages over HTTP, all or for one touser', async () => {
    const other = sandbox.current.issueLoginCode({ appId: APP.appId }).openid
    accept()
    accept(other)
    await send(reminder())
    await send({ ...reminder(), touser: other })

    const all = await readJson(await control(sandbox.current, 'GET', '/messages'))
    const mine = await readJson(await control(sandbox.current, 'GET', `/messages?touser=${openid}`))

    expect((all.messages as Json[]).map((message) => message.touser)).toEqual([openid, other])
    expect((mine.messages as Json[]).map((message) => message.touser)).toEqual([openid])
  })

  it('reset forgets templates, subscriptions and messages', async () => {
    accept()
    await send(reminder())

    await control(sandbox.current, 'POST', '/reset')

    expect(sandbox.current.sentMessages().messages).toEqual([])
    expect(sandbox.current.unusedSubscriptions(APP.appId, openid).subscriptions).toEqual([])
    expect(() => accept()).toThrow(/not declared/)
  })

  it('keeps start-up templates for every app across resets, as it keeps the apps', async () => {
    const started = await startSandbox({
      apps: [APP, OTHER_APP],
      templates: parseTemplateList('tmplReminder:thing1;time2, tmplCancelled:thing1;time2;thing3'),
    })
    try {
      started.reset()
      const person = started.issueLoginCode({ appId: OTHER_APP.appId }).openid
      started.grantSubscriptions({ appId: OTHER_APP.appId, openid: person, templateIds: ['tmplCancelled'] })
      const token = String((await stableTokenFor(started, OTHER_APP)).access_token)
      const answer = await fetch(`${started.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
        method: 'POST',
        body: JSON.stringify({
          touser: person,
          template_id: 'tmplCancelled',
          data: { thing1: { value: '瑜伽' }, time2: { value: '15:00' }, thing3: { value: '教练请假' } },
        }),
      }).then(readJson)

      expect(answer.errcode).toBe(0)
    } finally {
      await started.close()
    }
  })

  it.each([
    ['tmpl', /invalid template entry "tmpl": expected templateId:key;key/],
    ['tmpl:', /invalid template entry/],
    ['tmpl:title1', /title1 is not a WeChat template key/],
    ['a:thing1,a:thing2', /template a is listed twice/],
  ])('refuses the start-up template list %j', (text, message) => {
    expect(() => parseTemplateList(text)).toThrow(message)
  })

  it.each([
    ['/templates', { appId: APP.appId, keys: ['title1'] }, /body\.keys\.0 must match pattern/],
    ['/templates', { appId: APP.appId, keys: [] }, /body\.keys must NOT have fewer than 1 items/],
    ['/templates', { appId: APP.appId, keys: ['thing1', 'thing1'] }, /duplicate items/],
    ['/templates', { appId: 'wxnotconfigured', keys: ['thing1'] }, /unknown appId/],
    ['/subscriptions', { appId: APP.appId, openid: 'o-x', templateIds: ['nope'] }, /not declared for app/],
    ['/subscriptions', { appId: APP.appId, openid: 'o-x', templateIds: ['a', 'b', 'c', 'd'] }, /more than 3/],
    ['/pages', { appId: APP.appId, pages: ['https://example.com'] }, /is not a page path/],
  ])('answers POST %s %j with HTTP 400 and a clear message', async (path, body, message) => {
    const response = await control(sandbox.current, 'POST', path, body)

    expect(response.status).toBe(400)
    expect((await readJson(response)).error).toMatch(message)
  })
})
