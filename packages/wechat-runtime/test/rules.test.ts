import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  applySetData,
  CanvasNode,
  createWx,
  Gesture,
  Network,
  newPerson,
  PrivacyGate,
  readTemplates,
  Screen,
  STORAGE_KEY_LIMIT,
  Storage,
} from '../src'

/** One server that echoes what it got, standing for the configured domain. */
let origin: string
const server = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk) => {
    body += chunk
  })
  request.on('end', () => {
    response.setHeader('content-type', 'application/json')
    response.end(
      JSON.stringify({ method: request.method, url: request.url, body, referer: request.headers.referer }),
    )
  })
})
beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((done) => server.close(() => done())))

function model(overrides: { agreed?: boolean } = {}) {
  const gesture = new Gesture()
  const person = newPerson('o-test')
  const privacy = new PrivacyGate(true, () => false)
  if (overrides.agreed) privacy.agreeByButton('agree')
  const state = {
    scans: [] as string[],
    calendar: [] as { title: string; startTime: number; endTime?: number }[],
    subscriptions: [] as Record<string, string>[],
    authSetting: {} as Record<string, boolean>,
  }
  const canvases = new Map<string, CanvasNode>()
  const elements: Record<string, { tag: string; type?: string }> = {
    qr: { tag: 'canvas', type: '2d' },
    old: { tag: 'canvas' },
    plain: { tag: 'view' },
  }
  const wx = createWx({
    nodeById: (id) => {
      const element = elements[id]
      if (!element) return null
      return {
        id,
        tag: element.tag,
        type: element.type,
        canvas: () => {
          if (!canvases.has(id)) canvases.set(id, new CanvasNode())
          return canvases.get(id)!
        },
      }
    },
    appId: 'wxtest0000000000a1',
    sandboxUrl: 'http://127.0.0.1:1',
    person,
    gesture,
    privacy,
    network: new Network(
      { domains: { 'https://api.example.com': origin }, appId: 'wxtest0000000000a1' },
      new Map(),
    ),
    storage: new Storage(),
    screen: new Screen(),
    navigator: { navigate: async () => {}, isTabPage: () => true, stopPullDownRefresh: () => {} },
    ...state,
  })
  return { wx, gesture, person, privacy, ...state }
}

/** A wx API called with callbacks, as a promise of its success or its failure. */
// biome-ignore lint/suspicious/noExplicitAny: every wx API takes its own options object
function call<T = Record<string, unknown>>(api: (options: any) => unknown, options: object = {}) {
  return new Promise<{ ok: boolean; result: T }>((resolve) => {
    api({
      ...options,
      success: (result: T) => resolve({ ok: true, result }),
      fail: (result: T) => resolve({ ok: false, result }),
    })
  })
}

describe('wx.request', () => {
  it('refuses PATCH, which WeChat does not send', async () => {
    const { wx } = model()
    const answer = await call(wx.request, {
      url: 'https://api.example.com/api/me',
      method: 'PATCH',
      data: {},
    })
    expect(answer).toEqual({ ok: false, result: { errMsg: 'request:fail method is invalid' } })
  })

  it('sends the documented methods to a configured https domain, JSON bodies and GET data as a query', async () => {
    const { wx } = model()
    const post = await call<{ data: Record<string, string>; statusCode: number }>(wx.request, {
      url: 'https://api.example.com/api/me/profile',
      method: 'POST',
      data: { nickname: '小明' },
    })
    expect(post.ok).toBe(true)
    expect(post.result.data).toMatchObject({
      method: 'POST',
      url: '/api/me/profile',
      body: '{"nickname":"小明"}',
    })
    expect(post.result.data.referer).toMatch(/^https:\/\/servicewechat\.com\/wxtest0000000000a1\//)
    const get = await call<{ data: Record<string, string> }>(wx.request, {
      url: 'https://api.example.com/api/slots',
      data: { date: '2026-12-08' },
    })
    expect(get.result.data.url).toBe('/api/slots?date=2026-12-08')
  })

  it('refuses a domain not configured, and plain http', async () => {
    const { wx } = model()
    for (const url of ['https://other.example.com/x', 'http://api.example.com/x']) {
      const answer = await call<{ errMsg: string }>(wx.request, { url })
      expect(answer.ok).toBe(false)
      expect(answer.result.errMsg).toMatch(/^request:fail url not in domain list/)
    }
  })

  it('fails (never answers a status) when the connection is refused', async () => {
    const closed = createServer()
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((done) => closed.close(() => done()))
    const network = new Network(
      { domains: { 'https://api.example.com': `http://127.0.0.1:${port}` }, appId: 'x' },
      new Map(),
    )
    const refused = await network
      .request({ url: 'https://api.example.com/x' })
      .catch((error: unknown) => error)
    expect(refused).toEqual({ errMsg: 'request:fail net::ERR_CONNECTION_REFUSED' })
  })
})

describe('tap-only APIs', () => {
  it('add to the calendar only synchronously inside the tap, with numeric times', async () => {
    const { wx, gesture, calendar } = model({ agreed: true })
    const event = { title: '预约：体检', startTime: 1_800_000_000, endTime: 1_800_003_600 }
    const late = await call<{ errMsg: string }>(wx.addPhoneCalendar, event)
    expect(late.result.errMsg).toBe('addPhoneCalendar:fail can only be invoked by user TAP gesture.')

    let inTap!: Promise<{ ok: boolean }>
    gesture.during(() => {
      inTap = call(wx.addPhoneCalendar, event)
    })
    expect((await inTap).ok).toBe(true)
    expect(calendar).toEqual([{ ...event, description: undefined }])

    let stringEnd!: Promise<{ ok: boolean; result: { errMsg: string } }>
    gesture.during(() => {
      stringEnd = call(wx.addPhoneCalendar, { ...event, endTime: String(event.endTime) })
    })
    expect((await stringEnd).result.errMsg).toBe(
      'addPhoneCalendar:fail parameter error: parameter.endTime should be Number instead of String;',
    )
  })

  it('after an await the gesture is over', async () => {
    const { wx, gesture } = model()
    let afterAwait!: Promise<{ ok: boolean; result: { errMsg: string } }>
    gesture.during(() => {
      void Promise.resolve().then(() => {
        afterAwait = call(wx.requestSubscribeMessage, { tmplIds: ['t1'] })
      })
    })
    await new Promise((done) => setTimeout(done, 0))
    expect((await afterAwait).result.errMsg).toBe(
      'requestSubscribeMessage:fail can only be invoked by user TAP gesture.',
    )
  })

  it('answer a subscription per template, at most three templates at once', async () => {
    const { wx, gesture, person } = model()
    person.subscribeAnswers.t2 = 'reject'
    let answer!: Promise<{ ok: boolean; result: Record<string, string> }>
    let tooMany!: Promise<{ ok: boolean; result: Record<string, string> }>
    gesture.during(() => {
      answer = call(wx.requestSubscribeMessage, { tmplIds: ['t1', 't2'] })
      tooMany = call(wx.requestSubscribeMessage, { tmplIds: ['a', 'b', 'c', 'd'] })
    })
    expect((await answer).result).toMatchObject({
      errMsg: 'requestSubscribeMessage:ok',
      t1: 'accept',
      t2: 'reject',
    })
    expect((await tooMany).ok).toBe(false)
  })
})

describe('the privacy check', () => {
  it('holds a privacy API until the app resolves agree with the id of a tapped agreement button', async () => {
    const privacy = new PrivacyGate(true, () => false)
    let resolveHeld!: (r: { event: 'agree'; buttonId: string }) => void
    privacy.setListener((resolve) => {
      resolveHeld = resolve
    })
    const held = privacy.require('chooseAvatar')
    let done = false
    void held.then(() => {
      done = true
    })
    await new Promise((r) => setTimeout(r, 0))
    expect(done).toBe(false)
    privacy.agreeByButton('agree-button')
    resolveHeld({ event: 'agree', buttonId: 'agree-button' })
    await held
    expect(privacy.needsAuthorization()).toBe(false)
  })

  it('fails the held API with errno 104 on disagree, or on an agree naming no tapped button', async () => {
    for (const resolution of [{ event: 'disagree' }, { event: 'agree', buttonId: 'never-tapped' }] as const) {
      const privacy = new PrivacyGate(true, () => false)
      privacy.setListener((resolve) => resolve(resolution))
      await expect(privacy.require('getPhoneNumber')).rejects.toEqual({
        errMsg: 'getPhoneNumber:fail privacy permission is not authorized',
        errno: 104,
      })
    }
  })
})

describe('storage, the account, scanCode', () => {
  it('keeps copies, answers "" for a missing key and throws over 1 MB per key', () => {
    const { wx } = model()
    const value = { a: [1, 2] }
    wx.setStorageSync('k', value)
    value.a.push(3)
    expect(wx.getStorageSync('k')).toEqual({ a: [1, 2] })
    expect(wx.getStorageSync('missing')).toBe('')
    expect(() => wx.setStorageSync('big', 'x'.repeat(STORAGE_KEY_LIMIT))).toThrow('entry size limit reached')
  })

  it("names the running app's AppID", () => {
    expect(model().wx.getAccountInfoSync().miniProgram.appId).toBe('wxtest0000000000a1')
  })

  it('answers a scanned QR code with {result}, and a cancel when nothing is scanned', async () => {
    const { wx, scans } = model()
    scans.push('yy1.abc')
    expect((await call<{ result: string }>(wx.scanCode)).result.result).toBe('yy1.abc')
    expect((await call<{ errMsg: string }>(wx.scanCode)).result.errMsg).toBe('scanCode:fail cancel')
  })
})

describe('the view', () => {
  it('applies setData paths as WeChat does, copying values', () => {
    const data: Record<string, unknown> = { root: { cn: [] } }
    const node = { nn: '3', sid: '_A', cn: [{ nn: '9', sid: '_B', v: '你好' }] }
    applySetData(data, { 'root.cn.[0]': node })
    node.cn[0]!.v = 'changed'
    applySetData(data, { 'root.cn[0].cl': 'x', 'a.b[1]': 2 })
    expect(data).toEqual({
      root: { cn: [{ nn: '3', sid: '_A', cl: 'x', cn: [{ nn: '9', sid: '_B', v: '你好' }] }] },
      a: { b: [undefined, 2] },
    })
  })

  it("reads each template's tag, attribute keys and bound events from base.wxml", () => {
    const templates = readTemplates(`
<template name="tmpl_0_14">
  <button open-type="{{i.p11}}" disabled="{{i.p2}}" plain="{{xs.b(i.p12,!1)}}" bindgetphonenumber="eh" bindtap="eh" catchtouchmove="eh" id="{{i.uid||i.sid}}"></button>
</template>
<template name="tmpl_0_9">
  <block>{{i.v}}</block>
</template>`)
    const button = templates.get('14')!
    expect(button.tag).toBe('button')
    expect(button.attributes.get('open-type')).toBe('p11')
    expect(button.attributes.get('plain')).toBe('p12')
    expect([...button.bound].sort()).toEqual(['getphonenumber', 'tap', 'touchmove'])
    expect([...button.caught]).toEqual(['touchmove'])
    expect(templates.get('9')!.tag).toBe('block')
  })
})

describe('Canvas 2D through a selector query', () => {
  function query(wx: ReturnType<typeof model>['wx'], selector: string) {
    return new Promise<unknown[]>((resolve) => {
      wx.createSelectorQuery().select(selector).fields({ node: true }).exec(resolve)
    })
  }

  it('answers on a later turn with the same Canvas node for the same element', async () => {
    const { wx } = model()
    let answered = false
    const pending = query(wx, '#qr').then((answers) => {
      answered = true
      return answers
    })
    expect(answered).toBe(false)
    const [first] = (await pending) as [{ node: CanvasNode }]
    const [second] = (await query(wx, '#qr')) as [{ node: CanvasNode }]
    expect(first.node).toBeInstanceOf(CanvasNode)
    expect(second.node).toBe(first.node)
  })

  it('gives no node for a canvas without type="2d" or another element, and null for no match', async () => {
    const { wx } = model()
    expect(await query(wx, '#old')).toEqual([{ node: null }])
    expect(await query(wx, '#plain')).toEqual([{ node: null }])
    expect(await query(wx, '#missing')).toEqual([null])
  })

  it('records rectangles; setting the width clears the bitmap and resets fillStyle', () => {
    const canvas = new CanvasNode()
    expect([canvas.width, canvas.height]).toEqual([300, 150])
    expect(canvas.getContext('webgl')).toBeNull()
    const context = canvas.getContext('2d')!
    context.fillStyle = '#ffffff'
    context.fillRect(0, 0, 10, 10)
    context.fillStyle = '#000000'
    context.fillRect(2, 2, 2, 2)
    expect(canvas.colorAt(3, 3)).toBe('#000000')
    expect(canvas.colorAt(5, 5)).toBe('#ffffff')
    expect(canvas.colorAt(20, 20)).toBe('transparent')
    canvas.width = 100
    expect(canvas.colorAt(5, 5)).toBe('transparent')
    expect(context.fillStyle).toBe('#000000')
  })
})
