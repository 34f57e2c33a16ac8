import { type Mobile, maskMobile, normalizeMobile } from '@yuyue/contracts'
import { inTransaction, MysqlErrno } from '../../db/client'
import {
  lockHolderOf,
  lockUser,
  openidOfIdentity,
  setPhone,
  setRole,
  unbindPhone,
} from '../../db/queries/people'
import { touchPhoneNumbers } from '../../db/queries/phoneNumbers'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import type { MiniappPrincipal } from '../../types'
import { writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { resolveRole } from './resolveRole'

type Deps = Pick<DomainDeps, 'db' | 'wechat' | 'userStatus' | 'now'>

/**
 * The 快捷登录 tap: the getPhoneNumber code becomes a number (asked of WeChat once, with the
 * caller's openid so WeChat checks the code is theirs), which is bound to the caller in one
 * transaction. A number held by someone else moves to the caller (latest binding wins, audited),
 * and both people's roles follow the role rule.
 */
export async function bindPhone(deps: Deps, caller: MiniappPrincipal, code: string): Promise<UserRow> {
  const openid = await openidOfIdentity(deps.db, caller.identityId, caller.userId)
  if (!openid) throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')

  const phone = await deps.wechat.getPhoneNumber(caller.appId, code, openid)
  const mobile: Mobile | null = normalizeMobile(`+${phone.countryCode}${phone.number}`)
  if (!mobile) throw new AppError('VALIDATION_FAILED', '微信返回的手机号无法识别')
  const now = deps.now()

  return deps.userStatus.changing((mark) =>
    inTransaction(
      deps.db,
      async (tx) => {
        // the number's row first: an import, a removal or another binding of this number, on
        // any node, conflicts with this transaction here, so the role read below cannot miss it
        await touchPhoneNumbers(tx, [mobile])
        const me = await lockUser(tx, caller.userId)
        if (!me) throw new AppError('UNAUTHORIZED')
        if (me.isDeleted) throw new AppError('USER_DISABLED')
        const holder = await lockHolderOf(tx, mobile)
        const moving = holder !== undefined && holder !== me.id ? holder : null
        await mark(moving ? [me.id, moving] : [me.id])

        if (moving) await unbindPhone(tx, moving, now)
        await setPhone(tx, me.id, mobile, now)
        // Decided after the number is ours: an import that committed meanwhile is seen (READ
        // COMMITTED), and one still running either waits for us or finds us when it looks.
        const role = await resolveRole(tx, mobile)
        await setRole(tx, [me.id], role, now)
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
