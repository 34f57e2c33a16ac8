import type { Database } from '../../db/client'
import { inTransaction, isDuplicateEntry } from '../../db/client'
import {
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

  let found = await identityWithUser(deps.db, app.appId, session.openid)
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

async function createIdentity(deps: Deps, appId: string, session: WechatSession, now: Date) {
  try {
    await inTransaction(deps.db, async (tx) => {
      const linked = session.unionid ? await userByUnionid(tx, session.unionid) : undefined
      const userId = linked ? linked.id : await insertPerson(tx, { unionid: session.unionid, at: now })
      await insertIdentity(tx, {
        appId,
        openid: session.openid,
        unionid: session.unionid,
        userId,
        sessionKey: session.sessionKey,
        at: now,
      })
    })
  } catch (error) {
    // Someone else created this identity (same openid) or this person (same unionid) first.
    if (!isDuplicateEntry(error)) throw error
    if (session.unionid && !(await identityWithUser(deps.db, appId, session.openid))) {
      return createIdentity(deps, appId, session, now)
    }
  }
  const created = await identityWithUser(deps.db, appId, session.openid)
  if (!created) throw new Error('identity vanished right after it was created')
  return created
}

/** A person first seen without a unionid gets it now, unless another person already holds it. */
async function adoptUnionid(db: Database, userId: number, unionid: string) {
  try {
    await setUnionidIfAbsent(db, userId, unionid)
  } catch (error) {
    if (!isDuplicateEntry(error)) throw error
  }
}
