import { and, eq, sql } from 'drizzle-orm'
import type { Pool } from 'mysql2/promise'
import type { Database, Tx } from '../../db/client'
import { inTransaction, isDuplicateEntry } from '../../db/client'
import { identityWithUser } from '../../db/hotReads'
import { type UserRow, users, wechatIdentities } from '../../db/schema'
import { AppError } from '../../errors'
import type { WechatClient, WechatSession } from '../../wechat/client'
import type { LoginBookkeeping } from './loginBookkeeping'

export interface LoginResult {
  user: UserRow
  identityId: number
  appId: string
}

interface Deps {
  db: Database
  /** the main pool, for the identity's read (`identityWithUser`) */
  pool: Pool
  wechat: WechatClient
  loginBookkeeping: LoginBookkeeping
  now: () => Date
}

/**
 * `wx.login` code → WeChat session → our person (SPEC §3). The identity is `(app_id, openid)`; a
 * first login creates the person and the identity in one transaction, and the unique keys settle
 * races: of 100 concurrent first logins of one openid, one insert wins and the others read it.
 * A unionid already known from another mini-program links the new identity to that same person.
 */
export async function silentLogin(deps: Deps, input: { code: string; appId?: string }): Promise<LoginResult> {
  const app = deps.wechat.resolveApp(input.appId)
  const session = await deps.wechat.code2Session(app.appId, input.code)
  const now = deps.now()

  let found = await identityWithUser(deps.pool, app.appId, session.openid)
  if (!found) found = await createIdentity(deps, app.appId, session, now)
  const { identityId, user } = found
  if (user.isDeleted) throw new AppError('USER_DISABLED')

  deps.loginBookkeeping.record({
    identityId,
    sessionKey: session.sessionKey,
    unionid: session.unionid,
    at: now,
  })
  if (session.unionid && !user.unionid) await adoptUnionid(deps.db, user.id, session.unionid)
  return { user: { ...user, lastLoginAt: now }, identityId, appId: app.appId }
}

async function findUserByUnionid(db: Database | Tx, unionid: string) {
  const [row] = await db.select().from(users).where(eq(users.unionid, unionid)).limit(1)
  return row
}

async function createIdentity(deps: Deps, appId: string, session: WechatSession, now: Date) {
  try {
    await inTransaction(deps.db, async (tx) => {
      let userId: number
      const linked = session.unionid ? await findUserByUnionid(tx, session.unionid) : undefined
      if (linked) {
        userId = linked.id
      } else {
        const [created] = await tx
          .insert(users)
          .values({ unionid: session.unionid, createdAt: now, updatedAt: now, lastLoginAt: now })
          .$returningId()
        userId = created!.id
      }
      await tx.insert(wechatIdentities).values({
        appId,
        openid: session.openid,
        unionid: session.unionid,
        userId,
        sessionKey: session.sessionKey,
        createdAt: now,
        lastLoginAt: now,
      })
    })
  } catch (error) {
    // Someone else created this identity (same openid) or this person (same unionid) first.
    if (!isDuplicateEntry(error)) throw error
    if (session.unionid && !(await identityWithUser(deps.pool, appId, session.openid))) {
      return createIdentity(deps, appId, session, now)
    }
  }
  const created = await identityWithUser(deps.pool, appId, session.openid)
  if (!created) throw new Error('identity vanished right after it was created')
  return created
}

/** A person first seen without a unionid gets it now, unless another person already holds it. */
async function adoptUnionid(db: Database, userId: number, unionid: string) {
  try {
    await db
      .update(users)
      .set({ unionid })
      .where(and(eq(users.id, userId), sql`${users.unionid} IS NULL`))
  } catch (error) {
    if (!isDuplicateEntry(error)) throw error
  }
}
