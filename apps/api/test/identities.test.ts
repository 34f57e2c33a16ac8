import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { userById } from '../src/db/hotReads'
import { deleteUnclaimedPerson, insertIdentity, insertPerson } from '../src/db/identities'
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
    const pool = h.app.dbHandle.pool
    const person = await insertPerson(pool, { unionid: null, at })
    expect(await deleteUnclaimedPerson(pool, person.id)).toBe(true)
    expect(await userById(pool, person.id)).toBeUndefined()
  })

  it('keeps a person an identity already leads to (a login linked to them by unionid)', async () => {
    const pool = h.app.dbHandle.pool
    const person = await insertPerson(pool, { unionid: 'u-linked', at })
    await insertIdentity(pool, {
      appId: APP_ID,
      openid: 'o-linked',
      unionid: 'u-linked',
      userId: person.id,
      sessionKey: 'k',
      at,
    })
    expect(await deleteUnclaimedPerson(pool, person.id)).toBe(false)
    expect(await userById(pool, person.id)).toEqual(person)
  })

  it('refuses a second identity for one (app, openid) and a second person for one unionid', async () => {
    const pool = h.app.dbHandle.pool
    const person = await insertPerson(pool, { unionid: 'u-once', at })
    const identity = {
      appId: APP_ID,
      openid: 'o-once',
      unionid: null,
      userId: person.id,
      sessionKey: 'k',
      at,
    }
    await insertIdentity(pool, identity)
    await expect(insertIdentity(pool, identity)).rejects.toMatchObject({ errno: 1062 })
    await expect(insertPerson(pool, { unionid: 'u-once', at })).rejects.toMatchObject({ errno: 1062 })
  })
})
