import type { AdminAccount } from '@yuyue/contracts'
import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { inTransaction, isDuplicateEntry } from '../../db/client'
import { adminAccounts } from '../../db/schema'
import { AppError } from '../../errors'
import { writeAudit } from '../audit/audit'
import { DECOY_HASH, hashPassword, verifyPassword } from './password'

export async function verifyAdminLogin(
  db: Database,
  username: string,
  password: string,
  now: Date,
): Promise<AdminAccount> {
  const [account] = await db.select().from(adminAccounts).where(eq(adminAccounts.username, username)).limit(1)
  const valid = await verifyPassword(password, account?.passwordHash ?? DECOY_HASH)
  if (!account || !valid) throw new AppError('BAD_CREDENTIALS')
  await db.update(adminAccounts).set({ lastLoginAt: now }).where(eq(adminAccounts.id, account.id))
  return { id: account.id, username: account.username }
}

/**
 * Creates an admin unless one with that name exists (then nothing changes: a restart with
 * ADMIN_PASSWORD set never resets a password someone changed). Returns whether it was created.
 */
export async function ensureAdmin(db: Database, username: string, password: string): Promise<boolean> {
  const [existing] = await db
    .select({ id: adminAccounts.id })
    .from(adminAccounts)
    .where(eq(adminAccounts.username, username))
    .limit(1)
  if (existing) return false
  const passwordHash = await hashPassword(password)
  try {
    await inTransaction(db, async (tx) => {
      const [created] = await tx.insert(adminAccounts).values({ username, passwordHash }).$returningId()
      await writeAudit(tx, {
        actor: { type: 'system' },
        action: 'admin.create',
        target: `admin:${created!.id}`,
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
  await db.update(adminAccounts).set({ passwordHash }).where(eq(adminAccounts.username, username))
  return 'updated'
}
