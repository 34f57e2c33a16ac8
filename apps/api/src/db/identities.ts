import type { Pool, ResultSetHeader } from 'mysql2/promise'
import { MysqlErrno, mysqlErrno } from './client'
import type { UserRow } from './schema'

/**
 * What a first login writes: the person, then their WeChat identity, each one autocommitted
 * statement whose own answer (the insert id) is all the login needs, so nothing is read back.
 * Statements go one at a time, never as a batch (Galera can lose a batch's errors, SPEC §8).
 */

const INSERT_PERSON = `INSERT INTO users (unionid, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?)`
const INSERT_IDENTITY = `INSERT INTO wechat_identities
  (app_id, openid, unionid, user_id, session_key, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
const DELETE_PERSON = 'DELETE FROM users WHERE id = ?'

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
    unionid,
    isDeleted: false,
    tokenVersion: 1,
    createdAt: at,
    updatedAt: at,
    lastLoginAt: at,
  }
}

/** Stores a new person (a duplicate-entry error when another person holds `unionid`); answers the row. */
export async function insertPerson(
  pool: Pool,
  person: { unionid: string | null; at: Date },
): Promise<UserRow> {
  const [result] = await pool.query<ResultSetHeader>(INSERT_PERSON, [
    person.unionid,
    person.at,
    person.at,
    person.at,
  ])
  return newPersonRow(result.insertId, person.unionid, person.at)
}

/**
 * Stores the identity `(appId, openid)` of `userId` (a duplicate-entry error when it exists: the
 * unique key is what makes one person per openid, whatever the instance); answers its id.
 */
export async function insertIdentity(
  pool: Pool,
  identity: {
    appId: string
    openid: string
    unionid: string | null
    userId: number
    sessionKey: string
    at: Date
  },
): Promise<number> {
  const [result] = await pool.query<ResultSetHeader>(INSERT_IDENTITY, [
    identity.appId,
    identity.openid,
    identity.unionid,
    identity.userId,
    identity.sessionKey,
    identity.at,
    identity.at,
  ])
  return result.insertId
}

/**
 * Deletes a person this login created when their identity could not be stored, unless an identity
 * already points at them (another login linked to them by unionid meanwhile): the foreign key
 * refuses that delete, and they stay. Answers whether the person is gone.
 */
export async function deleteUnclaimedPerson(pool: Pool, userId: number): Promise<boolean> {
  try {
    const [result] = await pool.query<ResultSetHeader>(DELETE_PERSON, [userId])
    return result.affectedRows === 1
  } catch (error) {
    if (mysqlErrno(error) === MysqlErrno.rowReferenced) return false
    throw error
  }
}
