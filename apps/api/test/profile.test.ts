import type { MeResponse } from '@yuyue/contracts'
import sharp from 'sharp'
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
    // written anew, the same picture
    expect(await sharp(served.rawPayload).metadata()).toMatchObject({ format: 'png', width: 1, height: 1 })
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

/** `POST /api/me/avatar` with these image bytes as the `file` field. */
function uploadAvatar(app: Harness['app'], who: Person, bytes: Buffer, type = 'image/jpeg') {
  const upload = multipart('file', 'avatar', type, bytes)
  return app.inject({
    method: 'POST',
    url: '/api/me/avatar',
    headers: who.auth(upload.headers),
    payload: upload.payload,
  })
}

const GPS_NOTE = 'GPS 31.2304N 121.4737E taken at home'

/** A photo as a phone takes it: EXIF with a description and GPS position. */
function photoWithExif(colour = '#3366cc'): Promise<Buffer> {
  return sharp({ create: { width: 900, height: 600, channels: 3, background: colour } })
    .jpeg()
    .withExif({
      IFD0: { ImageDescription: GPS_NOTE, Make: 'PhoneMaker' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '31/1 13/1 49/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '121/1 28/1 25/1',
      },
    })
    .toBuffer()
}

describe('stored avatars', () => {
  it('are re-encoded without their metadata (EXIF, GPS) and scaled to at most 640 pixels', async () => {
    const photo = await photoWithExif()
    expect((await sharp(photo).metadata()).exif).toBeDefined()
    expect(photo.includes(GPS_NOTE)).toBe(true)
    const response = await uploadAvatar(h.app, person, photo)
    expect(response.statusCode, response.body).toBe(200)
    const served = await h.app.inject({
      method: 'GET',
      url: new URL(response.json<MeResponse>().user.avatarUrl!).pathname,
    })
    expect(served.headers['content-type']).toBe('image/jpeg')
    const metadata = await sharp(served.rawPayload).metadata()
    expect(metadata).toMatchObject({ format: 'jpeg', width: 640, height: 427 })
    expect(metadata.exif).toBeUndefined()
    expect(metadata.xmp).toBeUndefined()
    expect(served.rawPayload.includes(GPS_NOTE)).toBe(false)
    expect(served.rawPayload.includes('PhoneMaker')).toBe(false)
  })

  it('are one per person: a new upload replaces the old one, whose URL then answers 404', async () => {
    const someone = await login(h)
    const first = (await uploadAvatar(h.app, someone, await photoWithExif('#ff0000'))).json<MeResponse>().user
      .avatarUrl!
    const second = (await uploadAvatar(h.app, someone, await photoWithExif('#00ff00'))).json<MeResponse>()
      .user.avatarUrl!
    expect(second).not.toBe(first)
    expect((await h.app.inject({ method: 'GET', url: new URL(first).pathname })).statusCode).toBe(404)
    expect((await h.app.inject({ method: 'GET', url: new URL(second).pathname })).statusCode).toBe(200)
    const [rows] = await h.app.dbHandle.pool.query('SELECT COUNT(*) AS n FROM avatars WHERE user_id = ?', [
      someone.userId,
    ])
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(1)
  })

  it('are served by every instance, with no file on any instance’s disk', async () => {
    const someone = await login(h)
    const avatarUrl = (await uploadAvatar(h.app, someone, await photoWithExif())).json<MeResponse>().user
      .avatarUrl!
    const other = await startHarness({ sandbox: h.sandbox })
    try {
      const served = await other.app.inject({ method: 'GET', url: new URL(avatarUrl).pathname })
      expect(served.statusCode).toBe(200)
      expect(served.headers['content-type']).toBe('image/jpeg')
    } finally {
      await other.close()
    }
  })

  it('are erased with the account (DELETE /api/me): the old URL answers 404', async () => {
    const someone = await login(h)
    const avatarUrl = (await uploadAvatar(h.app, someone, await photoWithExif())).json<MeResponse>().user
      .avatarUrl!
    const deleted = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: someone.auth() })
    expect(deleted.statusCode, deleted.body).toBe(200)
    expect((await h.app.inject({ method: 'GET', url: new URL(avatarUrl).pathname })).statusCode).toBe(404)
    const [rows] = await h.app.dbHandle.pool.query('SELECT COUNT(*) AS n FROM avatars WHERE user_id = ?', [
      someone.userId,
    ])
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(0)
  })

  it('refuse bytes that start like an image but do not decode as one', async () => {
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)])
    const response = await uploadAvatar(h.app, person, broken)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('are limited per person (RATE_LIMIT_AVATAR_UPLOAD an hour), others keep their allowance', async () => {
    const limited = await startHarness({ sandbox: h.sandbox, env: { RATE_LIMIT_AVATAR_UPLOAD: '2' } })
    try {
      const [busy, calm] = [await login(limited), await login(limited)]
      const statuses: number[] = []
      for (let i = 0; i < 3; i++)
        statuses.push((await uploadAvatar(limited.app, busy, PNG, 'image/png')).statusCode)
      expect(statuses).toEqual([200, 200, 429])
      expect((await uploadAvatar(limited.app, calm, PNG, 'image/png')).statusCode).toBe(200)
    } finally {
      await limited.close()
    }
  })
})
