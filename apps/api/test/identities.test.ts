import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MysqlErrno, mysqlErrno } from '../src/db/client'
import { deleteUnclaimedPerson, insertIdentity, insertPerson, userById } from '../src/db/queries/people'
import { APP_ID, type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(() => resetDatabase(h.app))
afterAll(() => h.close())

describe('the statements of a first login', () => {
  const at = new Date('2026-12-07T08:00:00.123Z')

  it('deletes a person no identity leads to', async () => {
    const db = h.app.dbHandle.db
    const person = await insertPerson(db, { unionid: null, at })
    expect(await deleteUnclaimedPerson(db, person.id)).toBe(true)
    expect(await userById(db, person.id)).toBeUndefined()
  })

  it('keeps a person an identity already leads to (a login linked to them by unionid)', async () => {
    const db = h.app.dbHandle.db
    const person = await insertPerson(db, { unionid: 'u-linked', at })
    await insertIdentity(db, {
      appId: APP_ID,
      openid: 'o-linked',
      unionid: 'u-linked',
      userId: person.id,
      sessionKey: 'k',
      at,
    })
    expect(await deleteUnclaimedPerson(db, person.id)).toBe(false)
    expect(await userById(db, person.id)).toEqual(person)
  })

  it('refuses a second identity for one (app, openid) and a second person for one unionid', async () => {
    const db = h.app.dbHandle.db
    const person = await insertPerson(db, { unionid: 'u-once', at })
    const identity = {
      appId: APP_ID,
      openid: 'o-once',
      unionid: null,
      userId: person.id,
      sessionKey: 'k',
      at,
    }
    await insertIdentity(db, identity)
    const refused = (work: Promise<unknown>) => work.then(() => undefined, mysqlErrno)
    expect(await refused(insertIdentity(db, identity))).toBe(MysqlErrno.duplicateEntry)
    expect(await refused(insertPerson(db, { unionid: 'u-once', at }))).toBe(MysqlErrno.duplicateEntry)
  })
})
