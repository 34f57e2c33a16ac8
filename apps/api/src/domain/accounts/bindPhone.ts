import { type Mobile, maskMobile, normalizeMobile } from '@yuyue/contracts'
import { drizzleOn, inConnectionTransaction, isDuplicateEntry, MysqlErrno } from '../../db/client'
import {
  bindKeepingStatus,
  bindNumber,
  isDisabled,
  numberStanding,
  touchPhoneNumber,
  unbindNumber,
} from '../../db/queries/phoneBinding'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import type { MiniappPrincipal } from '../../types'
import { writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'

type Deps = Pick<DomainDeps, 'db' | 'wechat' | 'userStatus' | 'now'>

/** The caller as the guard read them (`auth.callerOpenid`): their row and their identity's openid. */
export type BindingCaller = MiniappPrincipal & { user: UserRow; openid: string }

/**
 * The 快捷登录 tap: the getPhoneNumber code becomes a number (asked of WeChat once, with the
 * caller's openid so WeChat checks the code is theirs), which is bound to the caller in one
 * transaction. A number held by someone else moves to the caller (latest binding wins, audited),
 * and both people's roles follow the role rule.
 *
 * A number bound for the first time that leaves the caller's role as it is (most bindings): three
 * statements (on a connection already at READ COMMITTED, the first opens the transaction), the
 * number's row, the caller's write, conditional on their row being as the guard read it (enabled,
 * same token version, role), and COMMIT; no Redis marks. Otherwise one read of who holds the
 * number and whether it is staff, the people marked changing, and the writes: four, six when the
 * number moves (issue 24). No locking read either way.
 */
export async function bindPhone(deps: Deps, caller: BindingCaller, code: string): Promise<UserRow> {
  const phone = await deps.wechat.getPhoneNumber(caller.appId, code, caller.openid)
  const mobile: Mobile | null = normalizeMobile(`+${phone.countryCode}${phone.number}`)
  if (!mobile) throw new AppError('VALIDATION_FAILED', '微信返回的手机号无法识别')
  const now = deps.now()
  const me = caller.user

  // set when a number bound before its row existed met its holder: the attempt after goes the long way
  let held = false
  return deps.userStatus.changing((mark) =>
    inConnectionTransaction(
      deps.db,
      async (connection) => {
        // the number's row first: an import, a removal or another binding of this number, on
        // any node, conflicts with this transaction here, so the reads below cannot miss it
        const fresh = await touchPhoneNumber(connection, mobile)
        if (fresh && !held) {
          // a new row: nobody has bound the number since rows were kept, so nobody holds it
          const bound = await bindKeepingStatus(connection, me, mobile, now).catch((error: unknown) => {
            // rolled back whole and run again, rather than reading on with the holder's key locked
            if (isDuplicateEntry(error)) held = true
            throw error
          })
          if (bound) return { ...me, countryCode: mobile.countryCode, mobile: mobile.number, updatedAt: now }
        }
        const { holder, staff } = await numberStanding(connection, mobile, me.id)
        const role = staff ? 'staff' : 'user'
        await mark(holder === null ? [me.id] : [me.id, holder])
        const moving =
          holder !== null && (await unbindNumber(connection, holder, mobile, now)) ? holder : null
        if (!(await bindNumber(connection, me, mobile, role, now))) {
          // disabled, erased or logged out everywhere since the guard read the row
          throw (await isDisabled(connection, me.id))
            ? new AppError('USER_DISABLED')
            : new AppError('UNAUTHORIZED')
        }
        if (moving !== null) {
          await writeAudit(drizzleOn(connection), {
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
