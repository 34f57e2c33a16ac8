import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminById, identityWithUser, slotWithBookingOf, userById } from '../src/db/hotReads'
import { adminAccounts, bookings, slots, users, wechatIdentities } from '../src/db/schema'
import { type Harness, resetDatabase, startHarness } from './support/harness'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(() => resetDatabase(h.app))
afterAll(() => h.close())

/** Two people unlike in every column: one with everything set, one with every nullable column null. */
async function twoPeople() {
  const at = new Date('2026-03-04T05:06:07.089Z')
  const [full] = await h.app.db
    .insert(users)
    .values({
      role: 'staff',
      nickname: '王小明 😀 \'"\\',
      avatarUrl: 'https://example.test/a.png',
      countryCode: '86',
      mobile: '13800138000',
      unionid: 'union-full',
      isDeleted: true,
      tokenVersion: 7,
      createdAt: at,
      updatedAt: new Date(at.getTime() + 1),
      lastLoginAt: new Date(at.getTime() + 999),
    })
    .$returningId()
  const [bare] = await h.app.db.insert(users).values({}).$returningId()
  await h.app.db.insert(wechatIdentities).values([
    { appId: 'wxhot', openid: 'o-full', userId: full!.id, sessionKey: 'k' },
    { appId: 'wxhot', openid: 'o-bare', userId: bare!.id },
  ])
  return { full: full!.id, bare: bare!.id }
}

const drizzleRead = async (id: number) => (await h.app.db.select().from(users).where(eq(users.id, id)))[0]

describe('the reads of every request, on mysql2 directly (db/hotReads)', () => {
  it('read a person exactly as drizzle reads them: every column, nulls, flags, times to the millisecond', async () => {
    const { full, bare } = await twoPeople()
    const { pool } = h.app.dbHandle
    for (const id of [full, bare]) {
      const expected = await drizzleRead(id)
      expect(await userById(pool, id)).toStrictEqual(expected)
    }
    expect(await userById(pool, 999_999)).toBeUndefined()
    // and the fully-set person really has every column set: the comparison above is not vacuous
    expect(Object.values((await userById(pool, full))!).filter((value) => value === null)).toEqual([])
  })

  it('read an admin account as drizzle reads its id, username and token version; an unknown one is undefined', async () => {
    const [created] = await h.app.db
      .insert(adminAccounts)
      .values({ username: '管理员 \'"\\ 😀', passwordHash: 'x' })
      .$returningId()
    const [expected] = await h.app.db
      .select({
        id: adminAccounts.id,
        username: adminAccounts.username,
        tokenVersion: adminAccounts.tokenVersion,
      })
      .from(adminAccounts)
      .where(eq(adminAccounts.id, created!.id))
    expect(await adminById(h.app.dbHandle.pool, created!.id)).toStrictEqual(expected)
    expect(await adminById(h.app.dbHandle.pool, 999_999)).toBeUndefined()
  })

  it('read an identity with its person; an unknown one is undefined', async () => {
    const { full, bare } = await twoPeople()
    const { pool } = h.app.dbHandle
    const [identity] = await h.app.db
      .select({ id: wechatIdentities.id })
      .from(wechatIdentities)
      .where(eq(wechatIdentities.openid, 'o-full'))
    expect(await identityWithUser(pool, 'wxhot', 'o-full')).toStrictEqual({
      identityId: identity!.id,
      user: await drizzleRead(full),
    })
    expect((await identityWithUser(pool, 'wxhot', 'o-bare'))?.user).toStrictEqual(await drizzleRead(bare))
    expect(await identityWithUser(pool, 'wxhot', 'o-none')).toBeUndefined()
    expect(await identityWithUser(pool, 'wxother', 'o-full')).toBeUndefined()
  })

  it('read a slot with the person’s active booking of it, exactly as drizzle reads the slot', async () => {
    const { full, bare } = await twoPeople()
    const { pool } = h.app.dbHandle
    const startsAt = new Date('2026-05-06T01:30:00.123Z')
    const [live] = await h.app.db
      .insert(slots)
      .values({ startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), title: "体检 'A'", capacity: 5 })
      .$returningId()
    const [removed] = await h.app.db
      .insert(slots)
      .values({
        startsAt,
        endsAt: startsAt,
        title: 'x',
        capacity: 1,
        deletedAt: new Date(startsAt.getTime() - 5),
      })
      .$returningId()
    const [booking] = await h.app.db
      .insert(bookings)
      .values({ slotId: live!.id, userId: full })
      .$returningId()
    // a cancelled booking is not "active": bare's is not reported
    await h.app.db.insert(bookings).values({ slotId: live!.id, userId: bare, status: 'cancelled' })
    const slotRow = async (id: number) => (await h.app.db.select().from(slots).where(eq(slots.id, id)))[0]

    expect(await slotWithBookingOf(pool, live!.id, full)).toStrictEqual({
      slot: await slotRow(live!.id),
      myBookingId: booking!.id,
    })
    expect(await slotWithBookingOf(pool, live!.id, bare)).toStrictEqual({
      slot: await slotRow(live!.id),
      myBookingId: null,
    })
    expect((await slotWithBookingOf(pool, removed!.id, full))?.slot).toStrictEqual(await slotRow(removed!.id))
    expect(await slotWithBookingOf(pool, 999_999, full)).toBeUndefined()
  })
})
