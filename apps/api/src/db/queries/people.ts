import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import { type Database, MysqlErrno, mysqlErrno, preparedOnce, type Tx } from '../client'
import { type UserRow, users, wechatIdentities } from '../schema'

/*
 * The reads and inserts of every login and of the guard are prepared once per database, their
 * values placeholders: drizzle building a statement that names every column of `users` cost
 * more CPU than the rest of a returning person's login (docs/performance.md).
 */

const userByIdRead = preparedOnce((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .limit(1)
    .prepare(),
)

/** The person with this id: what the guard reads on every mini-program request. */
export async function userById(db: Database, id: number): Promise<UserRow | undefined> {
  const [row] = await userByIdRead(db).execute({ id })
  return row
}

const identityWithUserRead = preparedOnce((db) =>
  db
    .select({ identityId: wechatIdentities.id, user: users })
    .from(wechatIdentities)
    .innerJoin(users, eq(users.id, wechatIdentities.userId))
    .where(
      and(
        eq(wechatIdentities.appId, sql.placeholder('appId')),
        eq(wechatIdentities.openid, sql.placeholder('openid')),
      ),
    )
    .limit(1)
    .prepare(),
)

/** The identity `(appId, openid)` and its person: what a returning person's login is decided on. */
export async function identityWithUser(
  db: Database,
  appId: string,
  openid: string,
): Promise<{ identityId: number; user: UserRow } | undefined> {
  const [row] = await identityWithUserRead(db).execute({ appId, openid })
  return row
}

const personWithOpenidRead = preparedOnce((db) =>
  db
    .select({ openid: wechatIdentities.openid, user: users })
    .from(wechatIdentities)
    .innerJoin(users, eq(users.id, wechatIdentities.userId))
    .where(
      and(
        eq(wechatIdentities.id, sql.placeholder('identityId')),
        eq(wechatIdentities.userId, sql.placeholder('userId')),
      ),
    )
    .limit(1)
    .prepare(),
)

/**
 * The person and the openid of their identity `identityId`, if that identity is still theirs: what
 * a route that asks WeChat about the caller (the phone binding) is guarded on, in one read.
 */
export async function personWithOpenid(
  db: Database,
  identityId: number,
  userId: number,
): Promise<{ openid: string; user: UserRow } | undefined> {
  const [row] = await personWithOpenidRead(db).execute({ identityId, userId })
  return row
}

/** The person holding this unionid (at most one: it is unique). */
export async function userByUnionid(db: Database, unionid: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.unionid, unionid)).limit(1)
  return row
}

/*
 * What a first login writes: the person, then their WeChat identity, each one autocommitted
 * statement whose own answer (the insert id) is all the login needs, so nothing is read back.
 * Statements go one at a time, never as a batch (Galera can lose a batch's errors, SPEC §8).
 */

/**
 * A new person, first seen at `at`, as `users` stores them: the table's defaults (role `user`,
 * not disabled, token version 1) and the times given, which the row is written with.
 */
export function newPersonRow(id: number, unionid: string | null, at: Date): UserRow {
  return {
    id,
    role: 'user',
    nickname: null,
    avatarUrl: null,
    countryCode: null,
    mobile: null,
    mobileReversed: null,
    unionid,
    isDeleted: false,
    tokenVersion: 1,
    createdAt: at,
    updatedAt: at,
    lastLoginAt: at,
  }
}

const personInsert = preparedOnce((db) =>
  db
    .insert(users)
    .values({
      unionid: sql.placeholder('unionid'),
      createdAt: sql.placeholder('at'),
      updatedAt: sql.placeholder('at'),
      lastLoginAt: sql.placeholder('at'),
    })
    .$returningId()
    .prepare(),
)

/** Stores a new person (a duplicate-entry error when another person holds `unionid`); answers the row. */
export async function insertPerson(
  db: Database,
  person: { unionid: string | null; at: Date },
): Promise<UserRow> {
  const [created] = await personInsert(db).execute({ unionid: person.unionid, at: person.at })
  return newPersonRow(created!.id, person.unionid, person.at)
}

const identityInsert = preparedOnce((db) =>
  db
    .insert(wechatIdentities)
    .values({
      appId: sql.placeholder('appId'),
      openid: sql.placeholder('openid'),
      unionid: sql.placeholder('unionid'),
      userId: sql.placeholder('userId'),
      sessionKey: sql.placeholder('sessionKey'),
      createdAt: sql.placeholder('at'),
      lastLoginAt: sql.placeholder('at'),
    })
    .$returningId()
    .prepare(),
)

/**
 * Stores the identity `(appId, openid)` of `userId` (a duplicate-entry error when it exists: the
 * unique key is what makes one person per openid, whatever the instance); answers its id.
 */
export async function insertIdentity(
  db: Database,
  identity: {
    appId: string
    openid: string
    unionid: string | null
    userId: number
    sessionKey: string
    at: Date
  },
): Promise<number> {
  const [created] = await identityInsert(db).execute(identity)
  return created!.id
}

/**
 * Deletes a person a first login created when their identity could not be stored, unless an
 * identity already points at them (another login linked to them by unionid meanwhile): the
 * foreign key refuses that delete, and they stay. Answers whether the person is gone.
 */
export async function deleteUnclaimedPerson(db: Database, userId: number): Promise<boolean> {
  try {
    const [result] = await db.delete(users).where(eq(users.id, userId))
    return result.affectedRows === 1
  } catch (error) {
    if (mysqlErrno(error) === MysqlErrno.rowReferenced) return false
    throw error
  }
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

/** These people's role from now on. */
export async function setRole(tx: Tx, userIds: number[], role: 'user' | 'staff', at: Date): Promise<void> {
  if (userIds.length === 0) return
  await tx.update(users).set({ role, updatedAt: at }).where(inArray(users.id, userIds))
}
