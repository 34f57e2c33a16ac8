import { eq } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { type AdminAccountRow, adminAccounts } from '../schema'

export async function adminByUsername(db: Database, username: string): Promise<AdminAccountRow | undefined> {
  const [account] = await db.select().from(adminAccounts).where(eq(adminAccounts.username, username)).limit(1)
  return account
}

export async function recordAdminLogin(db: Database, adminId: number, at: Date): Promise<void> {
  await db.update(adminAccounts).set({ lastLoginAt: at }).where(eq(adminAccounts.id, adminId))
}

/** A new admin account: its id (a duplicate key if the name is taken). */
export async function insertAdmin(
  tx: Tx,
  account: { username: string; passwordHash: string },
): Promise<number> {
  const [created] = await tx.insert(adminAccounts).values(account).$returningId()
  return created!.id
}

export async function setAdminPasswordHash(
  db: Database,
  username: string,
  passwordHash: string,
): Promise<void> {
  await db.update(adminAccounts).set({ passwordHash }).where(eq(adminAccounts.username, username))
}
