import type { MiniappRole, Mobile } from '@yuyue/contracts'
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client'
import { staffDirectory } from '../../db/schema'

/**
 * The role rule (SPEC §3): staff if and only if the bound mobile is in the staff directory. The
 * read locks the directory entry (or the gap where it would be), so an import or a removal running
 * at the same moment waits for this transaction instead of deciding against an old state.
 * (FOR UPDATE rather than a shared lock: MariaDB does not know MySQL 8's `FOR SHARE`.)
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
