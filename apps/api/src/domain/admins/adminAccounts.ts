import type { AdminAccount } from '@yuyue/contracts'
import type { Database } from '../../db/client'
import { inTransaction, isDuplicateEntry } from '../../db/client'
import { adminByUsername, insertAdmin, recordAdminLogin, setAdminPasswordHash } from '../../db/queries/admins'
import { AppError } from '../../errors'
import { writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { DECOY_HASH, hashPassword, verifyPassword } from './password'

export async function verifyAdminLogin(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  username: string,
  password: string,
): Promise<AdminAccount> {
  const account = await adminByUsername(deps.db, username)
  const valid = await verifyPassword(password, account?.passwordHash ?? DECOY_HASH)
  if (!account || !valid) throw new AppError('BAD_CREDENTIALS')
  await recordAdminLogin(deps.db, account.id, deps.now())
  return { id: account.id, username: account.username }
}

/**
 * Creates an admin unless one with that name exists (then nothing changes: a restart with
 * ADMIN_PASSWORD set never resets a password someone changed). Returns whether it was created.
 */
export async function ensureAdmin(db: Database, username: string, password: string): Promise<boolean> {
  if (await adminByUsername(db, username)) return false
  const passwordHash = await hashPassword(password)
  try {
    await inTransaction(db, async (tx) => {
      const id = await insertAdmin(tx, { username, passwordHash })
      await writeAudit(tx, {
        actor: { type: 'system' },
        action: 'admin.create',
        target: `admin:${id}`,
        detail: { username },
      })
    })
    return true
  } catch (error) {
    // another instance started at the same moment and created it
    if (isDuplicateEntry(error)) return false
    throw error
  }
}

/** Sets a new password for an existing admin, or creates the admin (the CLI). */
export async function setAdminPassword(
  db: Database,
  username: string,
  password: string,
): Promise<'created' | 'updated'> {
  if (await ensureAdmin(db, username, password)) return 'created'
  const passwordHash = await hashPassword(password)
  await setAdminPasswordHash(db, username, passwordHash)
  return 'updated'
}
