import { and, eq, isNull } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { adminAccounts, type UserRow, users, wechatIdentities } from '../schema'

/** The person with this id: what the guard reads on every mini-program request. */
export async function userById(db: Database, id: number): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1)
  return row
}

/** The admin account with this id: what the dashboard's guard needs of it. */
export async function adminById(
  db: Database,
  id: number,
): Promise<{ id: number; username: string } | undefined> {
  const [row] = await db
    .select({ id: adminAccounts.id, username: adminAccounts.username })
    .from(adminAccounts)
    .where(eq(adminAccounts.id, id))
    .limit(1)
  return row
}

/** The identity `(appId, openid)` and its person: what a returning person's login is decided on. */
export async function identityWithUser(
  db: Database,
  appId: string,
  openid: string,
): Promise<{ identityId: number; user: UserRow } | undefined> {
  const [row] = await db
    .select({ identityId: wechatIdentities.id, user: users })
    .from(wechatIdentities)
    .innerJoin(users, eq(users.id, wechatIdentities.userId))
    .where(and(eq(wechatIdentities.appId, appId), eq(wechatIdentities.openid, openid)))
    .limit(1)
  return row
}

export async function userByUnionid(db: Database | Tx, unionid: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.unionid, unionid)).limit(1)
  return row
}

/** A new person, first seen at `at`: their id. */
export async function insertPerson(tx: Tx, person: { unionid: string | null; at: Date }): Promise<number> {
  const [created] = await tx
    .insert(users)
    .values({ unionid: person.unionid, createdAt: person.at, updatedAt: person.at, lastLoginAt: person.at })
    .$returningId()
  return created!.id
}

export async function insertIdentity(
  tx: Tx,
  identity: {
    appId: string
    openid: string
    unionid: string | null
    userId: number
    sessionKey: string
    at: Date
  },
): Promise<void> {
  const { at, ...columns } = identity
  await tx.insert(wechatIdentities).values({ ...columns, createdAt: at, lastLoginAt: at })
}

/** Gives the person this unionid unless they have one already (a duplicate key if another holds it). */
export async function setUnionidIfAbsent(db: Database, userId: number, unionid: string): Promise<void> {
  await db
    .update(users)
    .set({ unionid })
    .where(and(eq(users.id, userId), isNull(users.unionid)))
}

/** The person's row, locked until the transaction ends. */
export async function lockUser(tx: Tx, id: number): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update')
  return row
}

/** Disables or enables a person, with the token version their tokens must carry from now on. */
export async function setUserDisabledRow(
  tx: Tx,
  id: number,
  change: { isDeleted: boolean; tokenVersion: number; at: Date },
): Promise<void> {
  await tx
    .update(users)
    .set({ isDeleted: change.isDeleted, tokenVersion: change.tokenVersion, updatedAt: change.at })
    .where(eq(users.id, id))
}
