import type { MiniappRole, Mobile } from '@yuyue/contracts'
import type { Tx } from '../../db/client'
import { lockEntry } from '../../db/queries/staffDirectory'

/**
 * The role rule (SPEC §3): staff if and only if the bound mobile is in the staff directory. A
 * locking read sees the latest committed directory; an import or removal of this number still
 * running, here or on another Galera node, conflicts with the caller's write of the number's row
 * (`touchPhoneNumbers`). (FOR UPDATE: MariaDB does not know MySQL 8's `FOR SHARE`.)
 */
export async function resolveRole(tx: Tx, mobile: Mobile | null): Promise<MiniappRole> {
  if (!mobile) return 'user'
  return (await lockEntry(tx, mobile)) === undefined ? 'user' : 'staff'
}
