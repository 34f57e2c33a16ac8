import { type Mobile, maskMobile, normalizeMobile } from '@yuyue/contracts'
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { inTransaction, MysqlErrno } from '../../db/client'
import { type UserRow, users, wechatIdentities } from '../../db/schema'
import { AppError } from '../../errors'
import type { UserStatusStore } from '../../services/userStatus'
import type { MiniappPrincipal } from '../../types'
import type { WechatClient } from '../../wechat/client'
import { writeAudit } from '../audit/audit'
import { resolveRole } from './resolveRole'

interface Deps {
  db: Database
  wechat: WechatClient
  userStatus: UserStatusStore
  now: () => Date
}

/**
 * The 快捷登录 tap: the getPhoneNumber code becomes a number (asked of WeChat once, with the
 * caller's openid so WeChat checks the code is theirs), which is bound to the caller in one
 * transaction. A number held by someone else moves to the caller (latest binding wins, audited),
 * and both people's roles follow the role rule.
 */
export async function bindPhone(deps: Deps, caller: MiniappPrincipal, code: string): Promise<UserRow> {
  const [identity] = await deps.db
    .select({ openid: wechatIdentities.openid })
    .from(wechatIdentities)
    .where(and(eq(wechatIdentities.id, caller.identityId), eq(wechatIdentities.userId, caller.userId)))
    .limit(1)
  if (!identity) throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')

  const phone = await deps.wechat.getPhoneNumber(caller.appId, code, identity.openid)
  const mobile: Mobile | null = normalizeMobile(`+${phone.countryCode}${phone.number}`)
  if (!mobile) throw new AppError('VALIDATION_FAILED', '微信返回的手机号无法识别')
  const now = deps.now()

  return deps.userStatus.changing((mark) =>
    inTransaction(
      deps.db,
      async (tx) => {
        const [me] = await tx.select().from(users).where(eq(users.id, caller.userId)).for('update')
        if (!me) throw new AppError('UNAUTHORIZED')
        if (me.isDeleted) throw new AppError('USER_DISABLED')
        const sameNumber = and(eq(users.countryCode, mobile.countryCode), eq(users.mobile, mobile.number))
        const [holder] = await tx.select({ id: users.id }).from(users).where(sameNumber).for('update')
        const moving = holder && holder.id !== me.id ? holder.id : null
        await mark(moving ? [me.id, moving] : [me.id])

        if (moving) {
          await tx
            .update(users)
            .set({ countryCode: null, mobile: null, role: 'user', updatedAt: now })
            .where(eq(users.id, moving))
        }
        await tx
          .update(users)
          .set({ countryCode: mobile.countryCode, mobile: mobile.number, updatedAt: now })
          .where(eq(users.id, me.id))
        // Decided after the number is ours: an import that committed meanwhile is seen (READ
        // COMMITTED), and one still running either waits for us or finds us when it looks.
        const role = await resolveRole(tx, mobile)
        await tx.update(users).set({ role }).where(eq(users.id, me.id))
        if (moving) {
          await writeAudit(tx, {
            actor: { type: role, id: me.id },
            action: 'phone.move',
            target: `user:${moving}`,
            detail: {
              fromUserId: moving,
              toUserId: me.id,
              mobile: maskMobile(mobile),
              countryCode: mobile.countryCode,
            },
          })
        }
        return { ...me, countryCode: mobile.countryCode, mobile: mobile.number, role, updatedAt: now }
      },
      // No gap locks: two people binding neighbouring numbers must not deadlock. Two binding the
      // same number collide on the unique key; the retry then moves it (latest binding wins).
      { isolationLevel: 'read committed', retryOn: [MysqlErrno.duplicateEntry] },
    ),
  )
}
