import type { MiniappRole, Mobile } from '@yuyue/contracts'
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { staffDirectory } from '../../db/schema'

/**
 * The role rule (SPEC §3): staff if and only if the bound mobile is in the staff directory. A
 * locking read sees the latest committed directory and waits for an import or removal of this
 * number that is still running. (FOR UPDATE: MariaDB does not know MySQL 8's `FOR SHARE`.)
 */
export async function resolveRole(tx: Tx, mobile: Mobile | null): Promise<MiniappRole> {
  if (!mobile) return 'user'
  const [entry] = await tx
    .select({ id: staffDirectory.id })
    .from(staffDirectory)
    .where(and(eq(staffDirectory.countryCode, mobile.countryCode), eq(staffDirectory.mobile, mobile.number)))
    .for('update')
  return entry ? 'staff' : 'user'
}
