import { eq, sql } from 'drizzle-orm'
import type { Database, Tx } from './client'
import { type AdminAccountRow, adminAccounts } from './schema'

/** The account stored under this (already normalised) username. */
export async function adminByUsername(db: Database, username: string): Promise<AdminAccountRow | undefined> {
  const [row] = await db.select().from(adminAccounts).where(eq(adminAccounts.username, username)).limit(1)
  return row
}

export async function adminAccountById(db: Database | Tx, id: number): Promise<AdminAccountRow | undefined> {
  const [row] = await db.select().from(adminAccounts).where(eq(adminAccounts.id, id)).limit(1)
  return row
}

export async function recordAdminLogin(db: Database | Tx, id: number, at: Date): Promise<void> {
  await db.update(adminAccounts).set({ lastLoginAt: at }).where(eq(adminAccounts.id, id))
}

/** Ends every token issued to the admin so far (they carry the version they were issued under). */
export async function endAdminSessions(db: Database | Tx, id: number): Promise<void> {
  await db
    .update(adminAccounts)
    .set({ tokenVersion: sql`${adminAccounts.tokenVersion} + 1` })
    .where(eq(adminAccounts.id, id))
}

/** A new password hash; the caller ends the sessions in the same transaction. */
export async function setAdminPasswordHash(
  db: Database | Tx,
  id: number,
  passwordHash: string,
): Promise<void> {
  await db.update(adminAccounts).set({ passwordHash }).where(eq(adminAccounts.id, id))
}
