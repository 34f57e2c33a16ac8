import type { MeResponse, StaffImportResult, StaffListResponse } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import type { RowDataPacket } from 'mysql2'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { bigramsOf } from '../src/db/queries/nameBigrams'
import { entriesQuery, holdersQuery, NUMBERS_PER_LOOKUP } from '../src/db/queries/staffDirectory'
import { adminToken, bearer, bindPhone, login } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { recordStatements } from './support/statements'

let h: Harness
let admin: string

function importRows(rows: object[], dryRun?: boolean) {
  return h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: dryRun === undefined ? { rows } : { rows, dryRun },
  })
}

async function staffCount() {
  const [rows] = await h.app.db.execute(sql`SELECT COUNT(*) AS n FROM staff_directory`)
  return Number((rows as unknown as { n: number }[])[0]!.n)
}

async function roleOf(token: string) {
  return (await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })).json<MeResponse>()
    .user.role
}

/** 5000 rows: mostly valid, every 50th malformed, every 100th a repeat of the row before it. */
function bigImport() {
  const rows: { mobile: string; name?: string }[] = []
  for (let i = 0; rows.length < 5000; i++) {
    if (i % 50 === 49) rows.push({ mobile: `12${String(i).padStart(9, '0')}` })
    else if (i % 100 === 0 && rows.length > 0) rows.push({ ...rows.at(-1)! })
    else rows.push({ mobile: `135${String(i).padStart(8, '0')}`, name: `员工${i}` })
  }
  return rows
}

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(async () => {
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
})
afterAll(() => h.close())

describe('staff import', () => {
  it('imports 5000 rows with exact counts and reasons, and promotes people holding those numbers', async () => {
    const rows = bigImport()
    const expectedInvalid = rows.flatMap((row, index) => {
      if (row.mobile.startsWith('12')) return [{ index, mobile: row.mobile, reason: 'INVALID_MOBILE' }]
      const earlier = rows.findIndex((r) => r.mobile === row.mobile)
      return earlier < index ? [{ index, mobile: row.mobile, reason: 'DUPLICATE_IN_REQUEST' }] : []
    })
    const promotedPeople = await Promise.all(
      [rows[1]!.mobile, rows[2]!.mobile].map(async (mobile, i) => {
        const person = await login(h, { openid: `o-${i}` })
        await bindPhone(h, person, mobile)
        expect(await roleOf(person.token)).toBe('user')
        return person
      }),
    )

    const response = await importRows(rows)
    expect(response.statusCode, response.body).toBe(200)
    const result = response.json<StaffImportResult>()
    expect(result.invalid).toEqual(expectedInvalid)
    expect(result).toMatchObject({
      inserted: 5000 - expectedInvalid.length,
      updated: 0,
      unchanged: 0,
      promoted: 2,
      dryRun: false,
    })
    expect(await staffCount()).toBe(5000 - expectedInvalid.length)
    for (const person of promotedPeople) expect(await roleOf(person.token)).toBe('staff')
  })

  it('answers updated and unchanged on a second import, keeping names not given again', async () => {
    await importRows([
      { mobile: '13900000001', name: '张三', note: '前台' },
      { mobile: '13900000002', name: '李四' },
    ])
    const response = await importRows([
      { mobile: '+86 139 0000 0001', name: '张三丰' },
      { mobile: '13900000002' },
      { mobile: '13900000003', name: '' },
    ])
    expect(response.json<StaffImportResult>()).toMatchObject({
      inserted: 1,
      updated: 1,
      unchanged: 1,
      promoted: 0,
    })
    const list = await h.app.inject({
      method: 'GET',
      url: '/api/admin/staff?q=1390000000',
      headers: bearer(admin),
    })
    const entries = list.json<StaffListResponse>().items
    expect(entries.find((e) => e.mobile === '13900000001')).toMatchObject({ name: '张三丰', note: '前台' })
    expect(entries.find((e) => e.mobile === '13900000002')).toMatchObject({ name: '李四' })
    expect(entries.find((e) => e.mobile === '13900000003')).toMatchObject({ name: null })
  })

  it('inserts a first import without reading entries before, and reads them once a stored number comes', async () => {
    const row = (i: number, name = `员工${i}`) => ({ mobile: `137${String(i).padStart(8, '0')}`, name })
    const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)
    const lockedReads = (sent: { sql: string }[]) =>
      sent.filter((s) => /\bfrom `?staff_directory`?.*\bfor update\b/i.test(s.sql)).length
    let first: StaffImportResult | undefined
    const sent = await recordStatements(async () => {
      first = (await importRows(range(0, 2500).map((i) => row(i)))).json<StaffImportResult>()
    })
    expect(first).toMatchObject({ inserted: 2500, updated: 0, unchanged: 0 })
    expect(lockedReads(sent)).toBe(0)

    // new rows, then stored ones (ten renamed): the INSERT of those fails on the key and is undone
    // alone; from there the entries before are read, and every count and piece is exact
    const second = await importRows([
      ...range(2500, 3500).map((i) => row(i)),
      ...range(0, 1000).map((i) => row(i, i % 100 === 0 ? `新名${i}` : `员工${i}`)),
      ...range(3500, 4500).map((i) => row(i)),
    ])
    expect(second.json<StaffImportResult>()).toMatchObject({ inserted: 2000, updated: 10, unchanged: 990 })
    expect(await staffCount()).toBe(4500)
    const [stored] = await h.app.dbHandle.pool.query<RowDataPacket[]>(
      "SELECT bigram, owner_id FROM name_bigrams WHERE kind = 'staff' ORDER BY owner_id, bigram",
    )
    const [entries] = await h.app.dbHandle.pool.query<RowDataPacket[]>(
      'SELECT id, name FROM staff_directory ORDER BY id',
    )
    const expected = entries.flatMap((e) =>
      bigramsOf(e.name as string)
        .sort()
        .map((bigram) => `${bigram} ${Number(e.id)}`),
    )
    expect(stored.map((r) => `${r.bigram} ${Number(r.owner_id)}`)).toEqual(expected)
  })

  it('counts a change of case as updated, and moves updated_at only for the rows that changed', async () => {
    const first = [
      { mobile: '13900000021', name: 'alice', note: '前台' },
      { mobile: '13900000022', name: 'Bob' },
      { mobile: '13900000023', name: '王五' },
    ]
    await importRows(first)
    const stored = async () => {
      const [rows] = await h.app.dbHandle.pool.query(
        'SELECT mobile, name, note, updated_at FROM staff_directory ORDER BY mobile',
      )
      return rows as { mobile: string; name: string; note: string | null; updated_at: Date }[]
    }
    const before = await stored()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const second = await importRows([
      { mobile: '13900000021', name: 'Alice' },
      { mobile: '13900000022', name: 'Bob', note: '' },
      { mobile: '13900000023', note: '经理' },
    ])
    expect(second.json<StaffImportResult>()).toMatchObject({ inserted: 0, updated: 2, unchanged: 1 })
    const after = await stored()
    expect(after.map(({ name, note }) => ({ name, note }))).toEqual([
      { name: 'Alice', note: '前台' },
      { name: 'Bob', note: null },
      { name: '王五', note: '经理' },
    ])
    const moved = after.map((row, i) => row.updated_at.getTime() > before[i]!.updated_at.getTime())
    expect(moved).toEqual([true, false, true])
  })

  it('counts an import of a single row too', async () => {
    /** [inserted, updated, unchanged] */
    const counts = async (row: object) => {
      const result = (await importRows([row])).json<StaffImportResult>()
      return [result.inserted, result.updated, result.unchanged]
    }
    expect(await counts({ mobile: '13900000031', name: '赵六' })).toEqual([1, 0, 0])
    expect(await counts({ mobile: '13900000031', name: '赵六' })).toEqual([0, 0, 1])
    expect(await counts({ mobile: '13900000031' })).toEqual([0, 0, 1])
    expect(await counts({ mobile: '13900000031', note: '夜班' })).toEqual([0, 1, 0])
  })

  it('counts each row once when two imports of the same numbers run at once', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      mobile: `137${String(i).padStart(8, '0')}`,
      name: `员工${i}`,
    }))
    const results = (await Promise.all([importRows(rows), importRows(rows)])).map((r) =>
      r.json<StaffImportResult>(),
    )
    expect(results.map((r) => r.inserted).sort()).toEqual([0, 2000])
    expect(results.map((r) => r.unchanged).sort()).toEqual([0, 2000])
    expect(results.every((r) => r.updated === 0)).toBe(true)
    expect(await staffCount()).toBe(2000)
  })

  it('stores names and notes exactly as given, quotes, backslashes and emoji included, with the time in UTC', async () => {
    const before = Date.now()
    const given = [
      { mobile: '13900000011', name: 'O\'Brien \\ "前台"', note: '100%_done; -- 😀' },
      { mobile: '13900000012', name: "x'); DROP TABLE staff_directory; --", note: '\\' },
      { mobile: '13900000013', name: '王小明', note: '?' },
    ]
    expect((await importRows(given)).json<StaffImportResult>()).toMatchObject({ inserted: 3 })
    const [rows] = await h.app.dbHandle.pool.query(
      'SELECT mobile, name, note, created_at, updated_at FROM staff_directory ORDER BY mobile',
    )
    const stored = rows as {
      mobile: string
      name: string
      note: string
      created_at: Date
      updated_at: Date
    }[]
    expect(stored.map(({ mobile, name, note }) => ({ mobile, name, note }))).toEqual(given)
    for (const row of stored) {
      // the pool reads DATETIME as UTC: a time written in another zone would be hours off
      expect(row.created_at.getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(row.created_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000)
      expect(row.updated_at.getTime()).toBe(row.created_at.getTime())
    }
  })

  it('reports over-long names and notes per row', async () => {
    const response = await importRows([
      { mobile: '13900000001', name: '名'.repeat(65) },
      { mobile: '13900000002', note: 'x'.repeat(256) },
      { mobile: '13900000003', name: '名'.repeat(64), note: 'x'.repeat(255) },
    ])
    const result = response.json<StaffImportResult>()
    expect(result.invalid).toEqual([
      { index: 0, mobile: '13900000001', reason: 'NAME_TOO_LONG' },
      { index: 1, mobile: '13900000002', reason: 'NOTE_TOO_LONG' },
    ])
    expect(result.inserted).toBe(1)
  })

  it('answers in a dry run exactly what the import would, and stores nothing', async () => {
    await importRows([{ mobile: '13900000001', name: '张三' }])
    const person = await login(h)
    await bindPhone(h, person, '13900000009')
    const rows = [
      { mobile: '13900000001', name: '张三' },
      { mobile: '13900000002' },
      { mobile: '13900000009' },
      { mobile: 'nope' },
      { mobile: '13900000002' },
    ]
    const dry = (await importRows(rows, true)).json<StaffImportResult>()
    expect(await staffCount()).toBe(1)
    expect(await roleOf(person.token)).toBe('user')
    const real = (await importRows(rows, false)).json<StaffImportResult>()
    expect({ ...dry, dryRun: false }).toEqual(real)
    expect(real).toMatchObject({ inserted: 2, unchanged: 1, promoted: 1 })
  })

  it('refuses more than 5000 rows, an empty list and malformed rows with 400 VALIDATION_FAILED', async () => {
    for (const payload of [
      { rows: Array.from({ length: 5001 }, () => ({ mobile: '13900000001' })) },
      { rows: [] },
      { rows: [{ name: 'no mobile' }] },
      { rows: [{ mobile: 13900000001 }] },
      { rows: 'not a list' },
      { rows: [{ mobile: '13900000001' }], dryRun: 'yes' },
    ]) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/admin/staff/import',
        headers: bearer(admin),
        payload,
      })
      expect(response.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
    expect(await staffCount()).toBe(0)
  })

  it('writes one audit entry in the same transaction', async () => {
    await importRows([{ mobile: '13900000001' }, { mobile: 'bad' }])
    const [rows] = await h.app.db.execute(
      sql`SELECT action, detail FROM audit_log WHERE action LIKE 'staff.%'`,
    )
    expect(rows).toEqual([
      {
        action: 'staff.import',
        detail: JSON.stringify({ rows: 2, inserted: 1, updated: 0, unchanged: 0, promoted: 0, invalid: 1 }),
      },
    ])
  })
})

describe("the import's look-ups (issue 21)", () => {
  const numbers = Array.from({ length: 5000 }, (_, i) => `136${String(i).padStart(8, '0')}`)
  const chunks = Array.from({ length: numbers.length / NUMBERS_PER_LOOKUP }, (_, i) =>
    numbers.slice(i * NUMBERS_PER_LOOKUP, (i + 1) * NUMBERS_PER_LOOKUP),
  )

  /** MariaDB's plan of a query built by drizzle: one row per table it reads. */
  async function explain(query: { toSQL(): { sql: string; params: unknown[] } }) {
    const { sql: text, params } = query.toSQL()
    const [plan] = await h.app.dbHandle.pool.query<RowDataPacket[]>(`EXPLAIN ${text}`, params)
    return plan.map((row) => ({ table: row.table, type: row.type, key: row.key }))
  }

  it('finds people and entries through the number’s index, a chunk under the IN-list threshold at a time', async () => {
    const [[setting]] = await h.app.dbHandle.pool.query<RowDataPacket[]>(
      'SELECT @@in_predicate_conversion_threshold AS threshold',
    )
    // 0 would mean "never convert"; the default is 1000
    const threshold = Number(setting!.threshold)
    expect(threshold === 0 || NUMBERS_PER_LOOKUP < threshold).toBe(true)
    for (const chunk of chunks) {
      expect(await explain(holdersQuery(h.app.db, chunk, true))).toEqual([
        { table: 'users', type: 'range', key: 'ix_users_mobile' },
      ])
      expect(await explain(entriesQuery(h.app.db, chunk, true))).toEqual([
        { table: 'staff_directory', type: 'range', key: 'ix_staff_mobile' },
      ])
    }
  })

  it('leaves people outside its numbers unlocked: an import does not wait for a person locked elsewhere', async () => {
    const bystander = await login(h, { openid: 'o-bystander' })
    await bindPhone(h, bystander, '13900000077')
    const connection = await h.app.dbHandle.pool.getConnection()
    try {
      await connection.query('START TRANSACTION')
      await connection.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [bystander.userId])
      const started = Date.now()
      const response = await importRows(numbers.map((mobile) => ({ mobile })))
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json<StaffImportResult>().inserted).toBe(5000)
      // a full scan under FOR UPDATE would have waited innodb_lock_wait_timeout (50 s) for the row
      expect(Date.now() - started).toBeLessThan(20_000)
    } finally {
      await connection.query('ROLLBACK')
      connection.release()
    }
  }, 60_000)
})

describe('staff removal', () => {
  it('removes the entry and demotes the bound person on their next request', async () => {
    await importRows([{ mobile: '13900000001' }])
    const person = await login(h)
    await bindPhone(h, person, '13900000001')
    expect(await roleOf(person.token)).toBe('staff')
    const removed = await h.app.inject({
      method: 'DELETE',
      url: '/api/admin/staff/13900000001',
      headers: bearer(admin),
    })
    expect(removed.json()).toEqual({ removed: true, demoted: 1 })
    expect(await roleOf(person.token)).toBe('user')
    const staffView = await h.app.inject({
      method: 'GET',
      url: '/api/staff/bookings',
      headers: bearer(person.token),
    })
    expect(staffView.statusCode).toBe(403)
  })

  it('leaves people and the directory agreeing when numbers are bound and removed at once', async () => {
    const numbers = Array.from({ length: 10 }, (_, i) => `1390000010${i}`)
    await importRows(numbers.map((mobile) => ({ mobile })))
    const people = await Promise.all(numbers.map((_, i) => login(h, { openid: `o-race-${i}` })))
    await Promise.all(
      numbers.flatMap((mobile, i) => [
        bindPhone(h, people[i]!, mobile),
        h.app
          .inject({ method: 'DELETE', url: `/api/admin/staff/${mobile}`, headers: bearer(admin) })
          .then((response) => expect(response.statusCode, response.body).toBe(200)),
      ]),
    )
    expect(await staffCount()).toBe(0)
    for (const person of people) expect(await roleOf(person.token)).toBe('user')
  })

  it('addresses foreign numbers as <countryCode>-<number>', async () => {
    await importRows([{ mobile: '+852 5123 4567' }])
    const removed = await h.app.inject({
      method: 'DELETE',
      url: '/api/admin/staff/852-51234567',
      headers: bearer(admin),
    })
    expect(removed.json()).toEqual({ removed: true, demoted: 0 })
  })

  it('answers 404 NOT_FOUND for a number not in the directory', async () => {
    for (const key of ['13900000001', 'garbage']) {
      const response = await h.app.inject({
        method: 'DELETE',
        url: `/api/admin/staff/${key}`,
        headers: bearer(admin),
      })
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('NOT_FOUND')
    }
  })
})

describe('staff list', () => {
  it('writes only the name pieces that change, told from the names before: none again, the difference for a rename', async () => {
    const rows = [
      { mobile: '13900000001', name: '张三丰' },
      { mobile: '13900000002', name: 'Alice Li' },
      { mobile: '13900000003', name: '王老五' },
    ]
    await importRows(rows)
    // the pieces are never read: those that go are told from the name before (no index by owner)
    const pieceStatements = async (work: () => Promise<unknown>) =>
      (await recordStatements(work)).map((s) => s.sql).filter((text) => /\bname_bigrams\b/i.test(text))
    expect(await pieceStatements(() => importRows(rows))).toEqual([])
    const renamed = await pieceStatements(() =>
      importRows([
        { mobile: '13900000001', name: '张三' },
        { mobile: '13900000002', name: 'alice li' },
        { mobile: '13900000003', name: '老王五' },
      ]),
    )
    // 张三丰 → 张三 drops 三丰; the case of Alice changes no piece; 王老五 → 老王五 swaps 王老 for 老王
    expect(renamed).toHaveLength(2)
    expect(renamed[0]).toMatch(/^DELETE\b/)
    expect(renamed.join(' ')).toMatch(/'三丰'.*'王老'[\s\S]*'老王'/)
    const [stored] = await h.app.dbHandle.pool.query(
      "SELECT bigram, owner_id FROM name_bigrams WHERE kind = 'staff' ORDER BY owner_id, bigram",
    )
    const [entries] = await h.app.dbHandle.pool.query('SELECT id, name FROM staff_directory ORDER BY id')
    const expected = (entries as { id: number; name: string }[]).flatMap((e) =>
      bigramsOf(e.name)
        .sort()
        .map((bigram) => ({ bigram, owner_id: Number(e.id) })),
    )
    expect(
      (stored as { bigram: string; owner_id: number }[]).map((r) => ({ ...r, owner_id: Number(r.owner_id) })),
    ).toEqual(expected)
  })

  it('searches by phone start or tail and by any part of a name, newest first, with the bound person', async () => {
    await importRows([
      { mobile: '13900000001', name: '张三' },
      { mobile: '13800000002', name: '李四' },
      { mobile: '13900000003', name: '张飞' },
    ])
    const person = await login(h)
    await bindPhone(h, person, '13900000003')
    const byPhone = await h.app.inject({
      method: 'GET',
      url: '/api/admin/staff?q=139',
      headers: bearer(admin),
    })
    const phoneItems = byPhone.json<StaffListResponse>()
    expect(phoneItems.total).toBe(2)
    expect(phoneItems.items.map((e) => e.mobile)).toEqual(['13900000003', '13900000001'])
    expect(phoneItems.items[0]).toMatchObject({ userId: person.userId, countryCode: '86' })
    const byName = await h.app.inject({ method: 'GET', url: '/api/admin/staff?q=张', headers: bearer(admin) })
    expect(byName.json<StaffListResponse>().total).toBe(2)
    const mobiles = async (q: string) =>
      (
        await h.app.inject({
          method: 'GET',
          url: `/api/admin/staff?q=${encodeURIComponent(q)}`,
          headers: bearer(admin),
        })
      )
        .json<StaffListResponse>()
        .items.map((e) => e.mobile)
    // the tail digits (手机尾号) and any part of a name of 2 characters or more
    expect(await mobiles('0003')).toEqual(['13900000003'])
    expect(await mobiles('0 0002')).toEqual(['13800000002'])
    expect(await mobiles('三')).toEqual([])
    await importRows([{ mobile: '13900000001', name: '王老五' }, { mobile: '13900000003' }])
    // a renamed entry is found by its new name's parts and no longer by its old name's
    expect(await mobiles('老五')).toEqual(['13900000001'])
    expect(await mobiles('张三')).toEqual([])
    expect(await mobiles('张飞')).toEqual(['13900000003'])
    await h.app.inject({ method: 'DELETE', url: '/api/admin/staff/13900000003', headers: bearer(admin) })
    const [left] = await h.app.dbHandle.pool.query(
      "SELECT COUNT(*) AS n FROM name_bigrams WHERE kind = 'staff'",
    )
    expect(Number((left as { n: number }[])[0]!.n)).toBe(3)
    const paged = await h.app.inject({
      method: 'GET',
      url: '/api/admin/staff?page=2&pageSize=2',
      headers: bearer(admin),
    })
    expect(paged.json<StaffListResponse>()).toMatchObject({ total: 2, page: 2, pageSize: 2 })
    expect(paged.json<StaffListResponse>().items).toHaveLength(0)
  })
})
