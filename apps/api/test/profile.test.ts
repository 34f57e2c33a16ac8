import type { MeResponse } from '@yuyue/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, type Person } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
let person: Person

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

function multipart(field: string, filename: string, type: string, bytes: Buffer) {
  const boundary = '----yuyue-test-boundary'
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  }
}

beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  person = await login(h)
})
afterAll(() => h.close())

describe('GET /api/me and POST /api/me/profile', () => {
  it('sets a nickname, trimmed, and keeps it', async () => {
    const patched = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: person.auth(),
      payload: { nickname: '  小明 ' },
    })
    expect(patched.json<MeResponse>().user.nickname).toBe('小明')
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: person.auth() })
    expect(me.json<MeResponse>().user).toMatchObject({
      id: person.userId,
      nickname: '小明',
      role: 'user',
      phone: null,
    })
  })

  it.each([
    [{}, 'nothing to change'],
    [{ nickname: '' }, 'empty nickname'],
    [{ nickname: '   ' }, 'blank nickname'],
    [{ nickname: 'a\nb' }, 'control character'],
    [{ nickname: 'x'.repeat(33) }, 'over 32 characters'],
    [{ nickname: 7 }, 'wrong type'],
    [{ avatarUrl: 'https://example.com/a.png' }, 'an avatar URL: avatars come only through the upload'],
    [{ nickname: '小明', avatarUrl: 'https://example.com/a.png' }, 'a nickname with an avatar URL'],
    [{ nickname: '小明', role: 'staff' }, 'a field nobody may set'],
  ])('refuses %j (%s) with 400 VALIDATION_FAILED', async (payload, _why) => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: person.auth(),
      payload,
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('has no PATCH /api/me any more: wx.request cannot send PATCH (SPEC §6b)', async () => {
    const response = await h.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: person.auth(),
      payload: { nickname: '小明' },
    })
    expect(response.statusCode).toBe(404)
  })
})

describe('POST /api/me/avatar', () => {
  it('keeps an uploaded PNG and serves it back where avatarUrl says', async () => {
    const upload = multipart('file', 'tmp.png', 'image/png', PNG)
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: person.auth(upload.headers),
      payload: upload.payload,
    })
    expect(response.statusCode, response.body).toBe(200)
    const avatarUrl = response.json<MeResponse>().user.avatarUrl!
    expect(avatarUrl).toMatch(/^http:\/\/localhost(:\d+)?\/api\/uploads\/avatars\/\d+-[0-9a-f]{24}\.png$/)
    const served = await h.app.inject({ method: 'GET', url: new URL(avatarUrl).pathname })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.rawPayload.equals(PNG)).toBe(true)
  })

  it('judges the type by the bytes, not by what the client claims', async () => {
    const upload = multipart('file', 'evil.png', 'image/png', Buffer.from('<svg onload=alert(1)>'))
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: person.auth(upload.headers),
      payload: upload.payload,
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('answers 413 PAYLOAD_TOO_LARGE over 2 MB', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)])
    const upload = multipart('file', 'big.png', 'image/png', big)
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: person.auth(upload.headers),
      payload: upload.payload,
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('refuses a request that is not multipart, or without the file field', async () => {
    const json = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: person.auth(),
      payload: { file: 'x' },
    })
    expect(json.statusCode).toBe(400)
    const wrongField = multipart('photo', 'a.png', 'image/png', PNG)
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: person.auth(wrongField.headers),
      payload: wrongField.payload,
    })
    expect(response.statusCode).toBe(400)
  })

  it('answers 400 VALIDATION_FAILED, not a 500, for a multipart body that cannot be parsed', async () => {
    const upload = multipart('file', 'a.png', 'image/png', PNG)
    const malformed = [
      // no boundary in the content type
      { headers: { 'content-type': 'multipart/form-data' }, payload: upload.payload },
      // cut short before the closing boundary
      { headers: upload.headers, payload: upload.payload.subarray(0, upload.payload.length - 30) },
    ]
    for (const { headers, payload } of malformed) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/me/avatar',
        headers: person.auth(headers),
        payload,
      })
      expect(response.statusCode, response.body).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
  })

  it('takes a multipart body only where an upload is accepted: elsewhere it is a 400', async () => {
    // multipart's per-request hooks live in the upload route's context, not the whole API's
    expect(h.app.hasRequestDecorator('isMultipart')).toBe(false)
    const upload = multipart('file', 'a.png', 'image/png', PNG)
    for (const [method, url] of [
      ['POST', '/api/me/profile'],
      ['POST', '/api/bookings'],
    ] as const) {
      const response = await h.app.inject({
        method,
        url,
        headers: person.auth(upload.headers),
        payload: upload.payload,
      })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.code, url).toBe('VALIDATION_FAILED')
    }
  })

  it('serves only names it generated', async () => {
    for (const name of ['..%2F..%2Fetc%2Fpasswd', 'x.png', '1-000000000000000000000000.png']) {
      const response = await h.app.inject({ method: 'GET', url: `/api/uploads/avatars/${name}` })
      expect(response.statusCode).toBe(404)
    }
  })

  it('needs a token', async () => {
    const upload = multipart('file', 'tmp.png', 'image/png', PNG)
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/me/avatar',
      headers: upload.headers,
      payload: upload.payload,
    })
    expect(response.statusCode).toBe(401)
  })
})
