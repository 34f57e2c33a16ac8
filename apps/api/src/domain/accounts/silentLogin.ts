import type { Database } from '../../db/client'
import { isDuplicateEntry, retryingTransaction } from '../../db/client'
import {
  deleteUnclaimedPerson,
  identityWithUser,
  insertIdentity,
  insertPerson,
  setUnionidIfAbsent,
  userByUnionid,
} from '../../db/queries/people'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import type { WechatSession } from '../../wechat/client'
import type { Deps as DomainDeps } from '../deps'

export interface LoginResult {
  user: UserRow
  identityId: number
  appId: string
}

type Deps = Pick<DomainDeps, 'db' | 'wechat' | 'loginBookkeeping' | 'now'>

interface Found {
  identityId: number
  user: UserRow
  /** this login wrote the identity and the person just now: nothing is left to record behind it */
  createdNow: boolean
}

/**
 * `wx.login` code → WeChat session → our person (SPEC §3). The identity is `(app_id, openid)`; a
 * first login stores the person, then the identity, and the identity's unique key settles races:
 * of 100 concurrent first logins of one openid, one identity insert wins and the others read it
 * (deleting the person they had stored for nobody). A unionid already known from another
 * mini-program links the new identity to that same person.
 */
export async function silentLogin(deps: Deps, input: { code: string; appId?: string }): Promise<LoginResult> {
  const app = deps.wechat.resolveApp(input.appId)
  const session = await deps.wechat.code2Session(app.appId, input.code)
  const now = deps.now()

  const returning = await identityWithUser(deps.db, app.appId, session.openid)
  const { identityId, user, createdNow } = returning
    ? { ...returning, createdNow: false }
    : await firstLogin(deps, app.appId, session, now)
  if (user.isDeleted) throw new AppError('USER_DISABLED')

  if (!createdNow) {
    deps.loginBookkeeping.record({
      identityId,
      sessionKey: session.sessionKey,
      unionid: session.unionid,
      at: now,
    })
  }
  if (session.unionid && !user.unionid) await adoptUnionid(deps.db, user.id, session.unionid)
  return { user: { ...user, lastLoginAt: now }, identityId, appId: app.appId }
}

/**
 * The person (found by unionid, or stored now) and the new identity, one autocommitted statement
 * each: two round trips after the read that missed, with no transaction held open between them.
 * A deadlock (a Galera certification failure) fails one statement alone, which is sent again.
 */
async function firstLogin(deps: Deps, appId: string, session: WechatSession, now: Date): Promise<Found> {
  const linked = session.unionid ? await userByUnionid(deps.db, session.unionid) : undefined
  if (linked) return claimIdentity(deps, appId, session, now, linked, false)
  let person: UserRow
  try {
    person = await retryingTransaction(() => insertPerson(deps.db, { unionid: session.unionid, at: now }))
  } catch (error) {
    // another login stored the person of this unionid first: link to them
    if (session.unionid && isDuplicateEntry(error)) return firstLogin(deps, appId, session, now)
    throw error
  }
  return claimIdentity(deps, appId, session, now, person, true)
}

async function claimIdentity(
  deps: Deps,
  appId: string,
  session: WechatSession,
  now: Date,
  user: UserRow,
  personCreated: boolean,
): Promise<Found> {
  try {
    const identityId = await retryingTransaction(() =>
      insertIdentity(deps.db, {
        appId,
        openid: session.openid,
        unionid: session.unionid,
        userId: user.id,
        sessionKey: session.sessionKey,
        at: now,
      }),
    )
    return { identityId, user, createdNow: personCreated }
  } catch (error) {
    // The person stored for this identity belongs to nobody now; if the database itself failed,
    // this delete fails too and the row stays, harmless: no identity leads to it.
    if (personCreated) await deleteUnclaimedPerson(deps.db, user.id).catch(() => false)
    if (!isDuplicateEntry(error)) throw error
    // someone else created this identity (same openid) first
    const winner = await identityWithUser(deps.db, appId, session.openid)
    if (!winner) throw new Error('an identity refused as a duplicate cannot be read')
    return { ...winner, createdNow: false }
  }
}

/** A person first seen without a unionid gets it now, unless another person already holds it. */
async function adoptUnionid(db: Database, userId: number, unionid: string) {
  try {
    await setUnionidIfAbsent(db, userId, unionid)
  } catch (error) {
    if (!isDuplicateEntry(error)) throw error
  }
}
