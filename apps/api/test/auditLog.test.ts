import type { AuditResponse } from '@yuyue/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adminToken, bearer, bindPhone, login, type Person } from './support/actors'
import { shanghaiDate } from './support/clock'
import { type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness
let admin: string
let alice: Person

async function audit(query = '') {
  const response = await h.app.inject({
    method: 'GET',
    url: `/api/admin/audit${query}`,
    headers: bearer(admin),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AuditResponse>()
}

function importChunk(body: object) {
  return h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: body,
  })
}

const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    mobile: `1390000${String(from + i).padStart(4, '0')}`,
    name: `员工${from + i}`,
  }))

beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
  alice = await login(h)
  await bindPhone(h, alice, '13800138000')
  await h.app.inject({
    method: 'POST',
    url: '/api/me/profile',
    headers: alice.auth(),
    payload: { nickname: '爱丽丝' },
  })
})
afterAll(() => h.close())

describe('the audit log', () => {
  it('shows the chunks of one file as one import, with the file name and the counts the admin saw', async () => {
    const file = { importId: 'import-0001-abcdef', fileName: '员工名单.xlsx' }
    const first = await importChunk({ ...file, fileInvalid: 5, rows: [...rows(0, 3), { mobile: 'nope' }] })
    expect(first.statusCode, first.body).toBe(200)
    expect((await importChunk({ ...file, rows: rows(2, 3) })).statusCode).toBe(200)
    const imports = (await audit('?action=staff.import')).items
    expect(imports).toHaveLength(1)
    expect(imports[0]).toMatchObject({
      action: 'staff.import',
      detail: {
        fileName: '员工名单.xlsx',
        rows: 4 + 5 + 3,
        inserted: 5,
        updated: 0,
        unchanged: 1,
        invalid: 1 + 5,
        chunks: 2,
      },
    })
    // another file is another entry; an import without an id is one entry a request, as before
    await importChunk({ importId: 'import-0002-abcdef', fileName: 'b.csv', rows: rows(10, 2) })
    await importChunk({ rows: rows(20, 2) })
    expect((await audit('?action=staff.import')).total).toBe(3)
  })

  it('refuses a malformed import id, actor or day with 400 VALIDATION_FAILED', async () => {
    expect((await importChunk({ importId: 'x', rows: rows(0, 1) })).statusCode).toBe(400)
    for (const query of ['?actor=root', '?action=nope', '?from=2026-13-01', '?actor=user:abc']) {
      const response = await h.app.inject({
        method: 'GET',
        url: `/api/admin/audit${query}`,
        headers: bearer(admin),
      })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().error.code).toBe('VALIDATION_FAILED')
    }
  })

  it('filters by action, actor and local day', async () => {
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${alice.userId}`,
      headers: bearer(admin),
      payload: { isDeleted: true },
    })
    const other = await adminToken(h.app)
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${alice.userId}`,
      headers: bearer(other),
      payload: { isDeleted: false },
    })
    const all = await audit()
    expect(all.total).toBeGreaterThanOrEqual(5)
    expect((await audit('?action=user.disable')).items.map((e) => e.action)).toEqual(['user.disable'])
    const otherActor = all.items.find((e) => e.action === 'user.enable')!.actor
    expect(otherActor).not.toBe(all.items.find((e) => e.action === 'user.disable')!.actor)
    const byOther = await audit(`?actor=${encodeURIComponent(otherActor)}`)
    // newest first: the other admin's login (audited since issue 19), then the enabling
    expect(byOther.items.map((e) => e.action)).toEqual(['user.enable', 'admin.login'])
    expect((await audit(`?actor=${encodeURIComponent(otherActor)}&action=user.disable`)).total).toBe(0)
    const today = shanghaiDate(new Date())
    expect((await audit(`?from=${today}&to=${today}`)).total).toBe(all.total)
    expect((await audit(`?from=${shanghaiDate(new Date(), 1)}`)).total).toBe(0)
    expect((await audit(`?to=${shanghaiDate(new Date(), -1)}`)).total).toBe(0)
  })

  it('names the person beside the id: nickname and masked phone', async () => {
    const disable = (await audit('?action=user.disable')).items[0]!
    expect(disable.target).toBe(`user:${alice.userId}`)
    expect(disable.targetName).toBe('爱丽丝 · 138****8000')
    expect(disable.actor).toMatch(/^admin:admin/)
  })

  it('exports what the filters show as CSV with a BOM, spreadsheet-safe, names beside ids', async () => {
    // a person whose nickname a spreadsheet would run as a formula
    const eve = await login(h)
    await bindPhone(h, eve, '13900001111')
    const named = await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: eve.auth(),
      payload: { nickname: '=HYPERLINK("x")' },
    })
    expect(named.statusCode, named.body).toBe(200)
    await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${eve.userId}`,
      headers: bearer(admin),
      payload: { isDeleted: true },
    })
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/admin/audit/export?action=user.disable',
      headers: bearer(admin),
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-all\.csv"/)
    const lines = response.body.split('\r\n')
    expect(lines[0]).toBe('\ufeff时间,操作人,操作人名称,操作,对象,对象名称,详情')
    expect(lines).toHaveLength(4) // header, the two disables (newest first), and the empty tail
    expect(lines[1]).toContain(`,user.disable,user:${eve.userId},"'=HYPERLINK(""x"") · 139****1111",`)
    expect(lines[2]).toContain(`,user.disable,user:${alice.userId},爱丽丝 · 138****8000,`)
    const all = await audit()
    const everything = await h.app.inject({
      method: 'GET',
      url: '/api/admin/audit/export',
      headers: bearer(admin),
    })
    expect(everything.body.trim().split('\r\n')).toHaveLength(all.total + 1)
  })

  it('streams a log larger than one batch, newest first, all of it', async () => {
    await h.app.dbHandle.pool.query(
      `INSERT INTO audit_log (actor_type, action, target, detail)
       WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 999)
       SELECT 'system', 'slot.create', CONCAT('slots:', i, '-', i), '{"count":1}' FROM seq`,
    )
    const { total } = await audit()
    const response = await h.app.inject({
      method: 'GET',
      url: '/api/admin/audit/export',
      headers: bearer(admin),
    })
    const lines = response.body.trim().split('\r\n')
    expect(lines).toHaveLength(total + 1)
    expect(lines[1]).toContain('slots:999-999')
  })
})
