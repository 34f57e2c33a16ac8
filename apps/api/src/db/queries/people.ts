import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { ResultSetHeader, RowDataPacket } from 'mysql2'
import { type Database, MysqlErrno, mysqlErrno, poolOf, type Tx } from '../client'
import { type UserRow, users } from '../schema'

/*
 * The guard's reads, the login's read and a first login's two inserts are sent by mysql2 itself,
 * as statements the server prepared once per connection: drizzle's execute path (placeholders
 * filled, a typeCast taking mysql2 off its generated row parser, rows mapped) cost more API CPU
 * than the rest of their work, and the server's parse of each text more database CPU (docs/performance.md). The
 * columns are named here; a test holds the row equal to drizzle's `select()` of it.
 */

const USER_COLUMNS = `u.id, u.role, u.nickname, u.avatar_url, u.country_code, u.mobile, u.mobile_reversed,
  u.unionid, u.is_deleted, u.token_version, u.created_at, u.updated_at, u.last_login_at`

/** A row of `USER_COLUMNS` as drizzle maps `users` (mysql2 reads DATETIME as UTC: the pool's `timezone`). */
function userRowOf(row: RowDataPacket): UserRow {
  return {
    id: row.id,
    role: row.role,
    nickname: row.nickname,
    avatarUrl: row.avatar_url,
    countryCode: row.country_code,
    mobile: row.mobile,
    mobileReversed: row.mobile_reversed,
    unionid: row.unionid,
    isDeleted: row.is_deleted === 1,
    tokenVersion: row.token_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  }
}

const USER_BY_ID = `SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ? LIMIT 1`

/** The person with this id: what the guard reads on every mini-program request. */
export async function userById(db: Database, id: number): Promise<UserRow | undefined> {
  const [[row]] = await poolOf(db).execute<RowDataPacket[]>(USER_BY_ID, [id])
  return row ? userRowOf(row) : undefined
}

const IDENTITY_WITH_USER = `SELECT i.id AS identity_id, ${USER_COLUMNS}
  FROM wechat_identities i JOIN users u ON u.id = i.user_id
  WHERE i.app_id = ? AND i.openid = ? LIMIT 1`

/** The identity `(appId, openid)` and its person: what a returning person's login is decided on. */
export async function identityWithUser(
  db: Database,
  appId: string,
  openid: string,
): Promise<{ identityId: number; user: UserRow } | undefined> {
  const [[row]] = await poolOf(db).execute<RowDataPacket[]>(IDENTITY_WITH_USER, [appId, openid])
  return row ? { identityId: row.identity_id, user: userRowOf(row) } : undefined
}

const PERSON_WITH_OPENID = `SELECT i.openid AS identity_openid, ${USER_COLUMNS}
  FROM wechat_identities i JOIN users u ON u.id = i.user_id
  WHERE i.id = ? AND i.user_id = ? LIMIT 1`

/**
 * The person and the openid of their identity `identityId`, if that identity is still theirs: what
 * a route that asks WeChat about the caller (the phone binding) is guarded on, in one read.
 */
export async function personWithOpenid(
  db: Database,
  identityId: number,
  userId: number,
): Promise<{ openid: string; user: UserRow } | undefined> {
  const [[row]] = await poolOf(db).execute<RowDataPacket[]>(PERSON_WITH_OPENID, [identityId, userId])
  return row ? { openid: row.identity_openid, user: userRowOf(row) } : undefined
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

const PERSON_INSERT = 'INSERT INTO users (unionid, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?)'

/** Stores a new person (a duplicate-entry error when another person holds `unionid`); answers the row. */
export async function insertPerson(
  db: Database,
  person: { unionid: string | null; at: Date },
): Promise<UserRow> {
  const { unionid, at } = person
  const [created] = await poolOf(db).execute<ResultSetHeader>(PERSON_INSERT, [unionid, at, at, at])
  return newPersonRow(created.insertId, unionid, at)
}

const IDENTITY_INSERT = `INSERT INTO wechat_identities
  (app_id, openid, unionid, user_id, session_key, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)`

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
  const { appId, openid, unionid, userId, sessionKey, at } = identity
  const [created] = await poolOf(db).execute<ResultSetHeader>(IDENTITY_INSERT, [
    appId,
    openid,
    unionid,
    userId,
    sessionKey,
    at,
    at,
  ])
  return created.insertId
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
