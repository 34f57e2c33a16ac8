import type { AuthResult } from '@yuyue/contracts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { userById } from '../src/db/queries/people'
import { toMiniappUser } from '../src/domain/users/userViews'
import { adminToken, bearer, bindPhone, login, type Person, tapQuickLogin } from './support/actors'
import { type Harness, resetDatabase, startHarness } from './support/harness'
import { recordStatements, verbOf } from './support/statements'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(async () => {
  await resetDatabase(h.app)
  h.sandbox.reset()
})
afterAll(() => h.close())

/** The statements one 快捷登录 tap sends, from the guard's read to the COMMIT. */
async function roundTrips(person: Person, phoneNumber: string) {
  const sent = await recordStatements(async () => {
    const response = await tapQuickLogin(h, person, phoneNumber)
    expect(response.statusCode, response.body).toBe(200)
  })
  return sent.map(verbOf)
}

/** A person logged in, their bookkeeping written, and a pool connection opened by a first binding. */
async function ready(openid: string): Promise<Person> {
  const person = await login(h, { openid })
  await h.app.domain.loginBookkeeping.flush()
  return person
}

// Counts, not times: they do not move with the machine's load. Before issue 24 a binding sent 11
// (13 when the number moved): the guard's read, the identity's, SET TRANSACTION, BEGIN, the
// number's row, the caller locked, the holder locked, the phone, the entry locked, the role, COMMIT.
// Its connections are kept at READ COMMITTED with autocommit off: no SET TRANSACTION, no BEGIN.
describe('the database round trips of a phone binding', () => {
  it('a number never bound, the role as it was: the guard’s one read, then three statements', async () => {
    await bindPhone(h, await ready('o-warm-up'), '13900000009')
    const sent = await roundTrips(await ready('o-binder'), '13900000001')
    expect(sent).toEqual([
      expect.stringMatching(/^SELECT/), // the guard: the row and the identity's openid, joined
      'INSERT INTO phone_numbers', // a new row, nobody holds the number; opens the transaction
      'UPDATE users SET', // conditional on the role the number gives being the caller's
      'COMMIT',
    ])
  })

  it('a number bound before, nobody holding it now: the read of its standing besides', async () => {
    const before = await ready('o-before')
    await bindPhone(h, before, '13900000001')
    await bindPhone(h, before, '13900000002')
    const sent = await roundTrips(await ready('o-binder'), '13900000001')
    expect(sent.slice(1)).toEqual([
      'INSERT INTO phone_numbers',
      expect.stringMatching(/^SELECT/), // who holds the number, whether it is staff
      'UPDATE users SET',
      'COMMIT',
    ])
  })

  it('a number moving from another person: their unbinding and the audit entry besides', async () => {
    const holder = await ready('o-holder')
    await bindPhone(h, holder, '13900000001')
    const sent = await roundTrips(await ready('o-taker'), '13900000001')
    expect(sent).toHaveLength(7)
    expect(sent.slice(3)).toEqual([
      'UPDATE users FORCE',
      'UPDATE users SET',
      'INSERT INTO audit_log',
      'COMMIT',
    ])
  })

  it('answers the person exactly as stored, though nothing is read back', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(await adminToken(h.app)),
      payload: { rows: [{ mobile: '13900000002' }] },
    })
    const person = await ready('o-staff')
    const answered = await bindPhone(h, person, '13900000002')
    const stored = await userById(h.app.dbHandle.db, person.userId)
    expect(answered.user).toEqual(toMiniappUser(stored!))
    expect(answered.user.role).toBe('staff')
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(answered.token) })
    expect(me.json<AuthResult>().user).toEqual(answered.user)
  })
})
