import { eq, getTableColumns } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { MysqlErrno, mysqlErrno } from '../src/db/client'
import {
  deleteUnclaimedPerson,
  identityWithUser,
  insertIdentity,
  insertPerson,
  personWithOpenid,
  userById,
} from '../src/db/queries/people'
import { users } from '../src/db/schema'
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

  it("reads a login's and the guard's person exactly as drizzle maps every column of them", async () => {
    const db = h.app.dbHandle.db
    const person = await insertPerson(db, { unionid: 'u-every', at })
    const identityId = await insertIdentity(db, {
      appId: APP_ID,
      openid: 'o-every',
      unionid: 'u-every',
      userId: person.id,
      sessionKey: 'k',
      at,
    })
    // every column set, none at its default, so a column the read forgets or maps wrong shows
    await db
      .update(users)
      .set({
        role: 'staff',
        nickname: '小明',
        avatarUrl: 'https://example.test/a.png',
        countryCode: '86',
        mobile: '13800001234',
        isDeleted: true,
        tokenVersion: 3,
        updatedAt: new Date('2026-12-07T09:00:00.456Z'),
        lastLoginAt: new Date('2026-12-07T10:00:00.789Z'),
      })
      .where(eq(users.id, person.id))
    const [asDrizzleMaps] = await db.select().from(users).where(eq(users.id, person.id))
    expect(asDrizzleMaps).toMatchObject({ mobileReversed: '43210000831', isDeleted: true })
    expect(Object.keys(asDrizzleMaps!).sort()).toEqual(Object.keys(getTableColumns(users)).sort())
    expect(await userById(db, person.id)).toEqual(asDrizzleMaps)
    expect(await identityWithUser(db, APP_ID, 'o-every')).toEqual({ identityId, user: asDrizzleMaps })
    expect(await personWithOpenid(db, identityId, person.id)).toEqual({
      openid: 'o-every',
      user: asDrizzleMaps,
    })
    expect(await identityWithUser(db, APP_ID, 'o-nobody')).toBeUndefined()
    expect(await userById(db, person.id + 1)).toBeUndefined()
    // the identity must still be this person's: another person's id finds nothing
    expect(await personWithOpenid(db, identityId, person.id + 1)).toBeUndefined()
  })
})
