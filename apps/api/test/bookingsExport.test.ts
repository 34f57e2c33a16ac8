import v8 from 'node:v8'
import vm from 'node:vm'
import { read as readWorkbook, utils } from '@e965/xlsx'
import type { AdminSlotsResponse, BookingResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, bindPhone, login } from './support/actors'
import { shanghaiDate, testClock } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { shanghaiNoon } from './support/venue'

const clock = testClock()
let h: Harness
let admin: string

beforeAll(async () => {
  h = await startHarness({ now: clock.now })
})
beforeEach(async () => {
  clock.set(shanghaiNoon())
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

const exportUrl = (query: string) => `/api/admin/bookings/export?${query}`

/** One slot tomorrow whose title and booker's nickname a spreadsheet would read as formulas. */
async function hostileBooking() {
  const day = shanghaiDate(clock.now(), 1)
  const created = await h.app.inject({
    method: 'POST',
    url: '/api/admin/slots',
    headers: bearer(admin),
    payload: {
      from: day,
      to: day,
      times: [{ start: '09:00', end: '10:00' }],
      capacity: 5,
      title: '=HYPERLINK("x")',
    },
  })
  const slot = created.json<AdminSlotsResponse>().items[0]!
  const person = await login(h)
  await bindPhone(h, person, '13812345678')
  await h.app.db.execute(sql`UPDATE users SET nickname = ${'+1, "小王"'} WHERE id = ${person.userId}`)
  const booked = await h.app.inject({
    method: 'POST',
    url: '/api/bookings',
    headers: person.auth(),
    payload: { slotId: slot.id },
  })
  return { day, booking: booked.json<BookingResponse>().booking }
}

describe('GET /api/admin/bookings/export', () => {
  it('writes CSV in UTF-8 with BOM, phones masked, formula-looking cells made text', async () => {
    const { day, booking } = await hostileBooking()
    const response = await h.app.inject({
      method: 'GET',
      url: exportUrl(`from=${day}&to=${day}&format=csv`),
      headers: bearer(admin),
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv/)
    expect(response.headers['content-disposition']).toMatch(/^attachment;/)
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = response.body.slice(1).trimEnd().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]!.startsWith('预约编号,状态,时段')).toBe(true)
    expect(lines[1]).toContain(`${booking.id},已预约,"'=HYPERLINK(""x"")"`)
    expect(lines[1]).toContain(`"'+1, ""小王""",86,138****5678`)
    expect(response.body).not.toContain('13812345678')
  })

  it('writes an XLSX that a spreadsheet reads back; full phones only when asked, and audited', async () => {
    const { day } = await hostileBooking()
    const response = await h.app.inject({
      method: 'GET',
      url: exportUrl(`from=${day}&to=${day}&format=xlsx&fullPhones=true`),
      headers: bearer(admin),
    })
    expect(response.statusCode, response.body).toBe(200)
    const workbook = readWorkbook(response.rawPayload, { type: 'buffer' })
    const rows = utils.sheet_to_json<string[]>(workbook.Sheets[workbook.SheetNames[0]!]!, { header: 1 })
    expect(rows).toHaveLength(2)
    expect(rows[1]).toEqual(expect.arrayContaining(['已预约', '\'=HYPERLINK("x")', '13812345678']))
    // every cell is text: nothing for the spreadsheet to evaluate
    expect(Object.values(workbook.Sheets[workbook.SheetNames[0]!]!).filter((c) => c?.f)).toEqual([])
    const [audit] = await h.app.db.execute(
      sql`SELECT action, detail FROM audit_log WHERE action = 'bookings.export'`,
    )
    expect(audit).toEqual([expect.objectContaining({ detail: expect.stringContaining('"fullPhones":true') })])
  })

  it('refuses more than 366 days, a bad format, and a mini-program token', async () => {
    for (const query of [
      'from=2026-01-01&to=2027-01-02&format=csv',
      'from=2026-01-01&to=2026-01-02&format=pdf',
    ]) {
      const response = await h.app.inject({ method: 'GET', url: exportUrl(query), headers: bearer(admin) })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    const person = await login(h)
    const refused = await h.app.inject({
      method: 'GET',
      url: exportUrl('from=2026-01-01&to=2026-01-02&format=csv'),
      headers: person.auth(),
    })
    expect([401, 403]).toContain(refused.statusCode)
  })
})

describe('an export of 100 000 bookings', () => {
  it('streams them all while the API holds no more than a few pages of them', {
    timeout: 300_000,
  }, async () => {
    // 100 slots × 1 000 people, written by the database itself (MariaDB's sequence tables)
    const day = shanghaiDate(clock.now(), 1)
    const start = new Date(`${day}T00:00:00.000Z`)
    await h.app.db.execute(
      sql`INSERT INTO users (country_code, mobile, nickname) SELECT '86', CONCAT('139', LPAD(seq, 8, '0')), CONCAT('访客', seq) FROM seq_1_to_1000`,
    )
    await h.app.db.execute(
      sql`INSERT INTO slots (starts_at, ends_at, title, capacity, booked) SELECT ${start} + INTERVAL seq * 5 MINUTE, ${start} + INTERVAL seq * 5 + 4 MINUTE, CONCAT('时段', seq), 1000, 1000 FROM seq_0_to_99`,
    )
    await h.app.db.execute(
      sql`INSERT INTO bookings (slot_id, user_id) SELECT s.id, u.id FROM slots s CROSS JOIN users u`,
    )

    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc') as () => void
    const liveHeap = () => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' })
    const before = liveHeap()
    let peak = before
    // sampled on a timer too: while the server reads and writes, before the first byte arrives
    const sampler = setInterval(() => {
      peak = Math.max(peak, liveHeap())
    }, 200)
    let bytes = 0
    let lines = 0
    try {
      const response = await fetch(`${address}${exportUrl(`from=${day}&to=${day}&format=csv`)}`, {
        headers: bearer(admin),
      })
      expect(response.status).toBe(200)
      const reader = response.body!.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        bytes += value.length
        for (const byte of value) if (byte === 0x0a) lines++
      }
    } finally {
      clearInterval(sampler)
    }
    const growth = peak - before
    console.info(
      `export: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB, live heap growth ${(growth / 1e6).toFixed(1)} MB`,
    )
    expect(lines).toBe(100_001)
    // the file is ~11 MB of text and its rows as objects far more; a page of them is a few MB
    expect(growth).toBeLessThan(15e6)
  })
})
