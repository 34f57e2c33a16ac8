import type { AdminStats, AdminUsersResponse } from '@yuyue/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bigramsOf } from '../src/db/queries/nameBigrams'
import { adminToken, bearer, bindPhone, login, type Person } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { recordStatements } from './support/statements'

let h: Harness
let admin: string
let alice: Person
let bob: Person
let carol: Person

async function search(query: string) {
  const response = await h.app.inject({
    method: 'GET',
    url: `/api/admin/users${query}`,
    headers: bearer(admin),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<AdminUsersResponse>()
}

beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  admin = await adminToken(h.app)
  alice = await login(h, { openid: 'oALICE0000000000000000000001', unionid: 'union-alice' })
  bob = await login(h, { openid: 'oBOB00000000000000000000002' })
  carol = await login(h, { openid: 'oCAROL000000000000000000003' })
  await bindPhone(h, alice, '13800138000')
  await bindPhone(h, bob, '13800139999')
  await bindPhone(h, carol, '13700000001')
  for (const [person, nickname] of [
    [alice, '爱丽丝'],
    [bob, 'Bob_100%'],
    [carol, '卡罗尔'],
  ] as const) {
    await h.app.inject({
      method: 'POST',
      url: '/api/me/profile',
      headers: person.auth(),
      payload: { nickname },
    })
  }
  await h.app.inject({
    method: 'POST',
    url: '/api/admin/staff/import',
    headers: bearer(admin),
    payload: { rows: [{ mobile: '13700000001' }] },
  })
  await h.app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bob.userId}`,
    headers: bearer(admin),
    payload: { isDeleted: true },
  })
})
afterAll(() => h.close())

describe('admin user search', () => {
  it('lists everyone newest first with the fields of SPEC §4', async () => {
    const all = await search('')
    expect(all).toMatchObject({ total: 3, page: 1, pageSize: 20 })
    expect(all.items.map((u) => u.id)).toEqual([carol.userId, bob.userId, alice.userId])
    expect(all.items[2]).toEqual({
      id: alice.userId,
      role: 'user',
      nickname: '爱丽丝',
      avatarUrl: null,
      mobile: '13800138000',
      countryCode: '86',
      unionid: 'union-alice',
      isDeleted: false,
      createdAt: expect.stringMatching(/Z$/),
      lastLoginAt: expect.stringMatching(/Z$/),
    })
  })

  it.each([
    ['a whole phone number', '13800138000', 'alice'],
    ['a whole number written with its country code', '+86 138-0013-8000', 'alice'],
    ['a phone prefix', '1380013', 'alice,bob'],
    ['the tail digits of a phone (手机尾号)', '8000', 'alice'],
    ['the last four digits of another phone', '9999', 'bob'],
    ['tail digits written with a space', '0 001', 'carol'],
    ['a nickname prefix', '爱丽', 'alice'],
    ['the middle of a nickname', '丽丝', 'alice'],
    ['the end of a nickname, whatever its case', 'b_100', 'bob'],
    ['a part of a nickname with LIKE wildcards taken literally', '100%', 'bob'],
    ['a nickname prefix with LIKE wildcards taken literally', 'Bob_100%', 'bob'],
    ['an exact openid', 'oCAROL000000000000000000003', 'carol'],
  ])('finds people by %s', async (_label, q, expected) => {
    const names = { [alice.userId]: 'alice', [bob.userId]: 'bob', [carol.userId]: 'carol' }
    const found = await search(`?q=${encodeURIComponent(q)}`)
    expect(
      found.items
        .map((u) => names[u.id])
        .sort()
        .join(','),
    ).toBe(expected)
    expect(found.total).toBe(expected.split(',').length)
  })

  it('does not match pieces of a nickname out of order, a lone middle character or an openid prefix', async () => {
    // 丽 and 爱 are both in 爱丽丝, and so are 丽丝 and 爱丽: the whole text must be there
    expect((await search(`?q=${encodeURIComponent('丽爱')}`)).total).toBe(0)
    expect((await search(`?q=${encodeURIComponent('丝爱丽')}`)).total).toBe(0)
    expect((await search(`?q=${encodeURIComponent('丽')}`)).total).toBe(0)
    expect((await search('?q=100_')).total).toBe(0)
    expect((await search('?q=oCAROL0000000000')).total).toBe(0)
  })

  it('filters by role and by disabled', async () => {
    expect((await search('?role=staff')).items.map((u) => u.id)).toEqual([carol.userId])
    expect((await search('?isDeleted=true')).items.map((u) => u.id)).toEqual([bob.userId])
    expect((await search('?isDeleted=false&role=user')).items.map((u) => u.id)).toEqual([alice.userId])
    expect((await search('?q=138&isDeleted=false')).total).toBe(1)
    expect((await search('?q=1370&role=staff')).items.map((u) => u.id)).toEqual([carol.userId])
    expect((await search('?q=1380&role=staff')).total).toBe(0)
    expect((await search('?q=138&role=user&isDeleted=true')).items.map((u) => u.id)).toEqual([bob.userId])
  })

  it('runs each kind of search with its own values (one prepared statement per kind)', async () => {
    // the same kind of search (a nickname prefix, no filter) one after another, then past its end
    expect((await search(`?q=${encodeURIComponent('爱丽')}`)).items.map((u) => u.id)).toEqual([alice.userId])
    expect((await search(`?q=${encodeURIComponent('卡罗')}`)).items.map((u) => u.id)).toEqual([carol.userId])
    expect(await search(`?q=${encodeURIComponent('卡罗')}&page=3`)).toMatchObject({ total: 1, items: [] })
    expect(await search('?q=1380&role=user&page=2&pageSize=1')).toMatchObject({ total: 2, items: [{}] })
    expect(await search('?q=1380&role=user&page=3&pageSize=1')).toMatchObject({ total: 2, items: [] })
  })

  it('lists each kind of filter with its own values (one prepared statement per kind)', async () => {
    const ids = async (query: string) => (await search(query)).items.map((u) => u.id).sort()
    expect(await ids('?role=staff')).toEqual([carol.userId])
    expect(await ids('?role=user')).toEqual([alice.userId, bob.userId].sort())
    expect(await ids('?isDeleted=true')).toEqual([bob.userId])
    expect(await ids('?isDeleted=false')).toEqual([alice.userId, carol.userId].sort())
    expect(await search('?role=user&isDeleted=true&page=2&pageSize=1')).toMatchObject({ total: 1, items: [] })
    expect(await search('?role=user&isDeleted=false&pageSize=1')).toMatchObject({
      total: 1,
      items: [{ id: alice.userId }],
    })
  })

  it('pages', async () => {
    const second = await search('?page=2&pageSize=2')
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 2 })
    expect(second.items.map((u) => u.id)).toEqual([alice.userId])
  })

  it('refuses bad filters with 400', async () => {
    for (const query of [
      '?role=admin',
      '?isDeleted=maybe',
      '?pageSize=1000',
      '?page=0',
      `?q=${'x'.repeat(65)}`,
    ]) {
      const response = await h.app.inject({
        method: 'GET',
        url: `/api/admin/users${query}`,
        headers: bearer(admin),
      })
      expect(response.statusCode, query).toBe(400)
    }
  })

  it('answers the total past the last page of a search', async () => {
    const { total } = await search('?q=138')
    expect(total).toBe(2)
    expect(await search('?q=138&page=5&pageSize=2')).toMatchObject({ total: 2, page: 5, items: [] })
    expect(await search('?q=138&isDeleted=false&page=5')).toMatchObject({ total: 1, items: [] })
  })
})

describe('overview', () => {
  it('counts people, staff, disabled people and directory entries', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/admin/stats', headers: bearer(admin) })
    expect(response.json<AdminStats>()).toMatchObject({
      users: 3,
      staff: 1,
      disabledUsers: 1,
      staffDirectory: 1,
      todayBookings: 0,
    })
  })
})

// last: the people counted by the tests above stay three
describe('nickname changes', () => {
  it('finds a nickname by its new parts, and by none once it changes or the account is erased', async () => {
    const dave = await login(h, { openid: 'oDAVE0000000000000000000004' })
    const rename = (nickname: string) =>
      h.app.inject({ method: 'POST', url: '/api/me/profile', headers: dave.auth(), payload: { nickname } })
    expect((await rename('旧名字甲乙')).statusCode).toBe(200)
    expect((await search(`?q=${encodeURIComponent('名字甲')}`)).items.map((u) => u.id)).toEqual([dave.userId])
    // the pieces that go are told from the nickname before, never read from the table
    const sent = await recordStatements(async () =>
      expect((await rename('新的称呼😀x')).statusCode).toBe(200),
    )
    expect(sent.filter((s) => /\bname_bigrams\b/.test(s.sql)).map((s) => s.sql.split(' ')[0])).toEqual([
      'DELETE',
      'INSERT',
    ])
    const [stored] = await h.app.dbHandle.pool.query('SELECT bigram FROM name_bigrams WHERE owner_id = ?', [
      dave.userId,
    ])
    expect((stored as { bigram: string }[]).map((r) => r.bigram).sort()).toEqual(
      bigramsOf('新的称呼😀x').sort(),
    )
    expect((await search(`?q=${encodeURIComponent('名字甲')}`)).total).toBe(0)
    expect((await search(`?q=${encodeURIComponent('呼😀X')}`)).items.map((u) => u.id)).toEqual([dave.userId])
    // an erased account's nickname is gone from the search too
    const erased = await h.app.inject({ method: 'DELETE', url: '/api/me', headers: dave.auth() })
    expect(erased.statusCode, erased.body).toBe(200)
    expect((await search(`?q=${encodeURIComponent('呼😀X')}`)).total).toBe(0)
    const [pieces] = await h.app.dbHandle.pool.query(
      'SELECT COUNT(*) AS n FROM name_bigrams WHERE owner_id = ?',
      [dave.userId],
    )
    expect(Number((pieces as { n: number }[])[0]!.n)).toBe(0)
  })
})
