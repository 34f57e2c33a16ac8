import { type Database, inTransaction } from '../../db/client'
import { eraseAccountRows } from '../../db/queries/accounts'
import { lockUser } from '../../db/queries/people'
import { forgetMessagesOfPerson } from '../../db/queries/subscribeDeliveries'
import { AppError } from '../../errors'
import type { UserStatusStore } from '../../services/userStatus'
import { type AuditActor, writeAudit } from '../audit/audit'

/**
 * 注销账号 (`DELETE /api/me`, SPEC §4): WeChat's review asks apps with accounts to let people
 * delete theirs. The person's row stays (past bookings and the audit log point at it) but no
 * longer says who it was, and nothing leads back to it: the next login from the same WeChat user
 * is a new person. The audit entry records the erasure, not what was erased.
 */
export async function eraseAccount(
  deps: { db: Database; userStatus: UserStatusStore; now: () => Date },
  actor: Extract<AuditActor, { type: 'user' | 'staff' }>,
): Promise<void> {
  const now = deps.now()
  await deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx) => {
      const user = await lockUser(tx, actor.id)
      if (!user) throw new AppError('UNAUTHORIZED')
      await mark([user.id])
      const erased = await eraseAccountRows(tx, user, now)
      await forgetMessagesOfPerson(tx, user.id, now)
      await writeAudit(tx, {
        actor,
        action: 'user.erase',
        target: `user:${user.id}`,
        detail: { ...erased, hadPhone: user.mobile !== null, wasStaff: user.role === 'staff' },
      })
    }),
  )
}
