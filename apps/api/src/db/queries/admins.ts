import { eq, sql } from 'drizzle-orm'
import { type Database, preparedOnce, type Tx } from '../client'
import { type AdminAccountRow, adminAccounts } from '../schema'

/** The account stored under this (already normalised) username. */
export async function adminByUsername(db: Database, username: string): Promise<AdminAccountRow | undefined> {
  const [account] = await db.select().from(adminAccounts).where(eq(adminAccounts.username, username)).limit(1)
  return account
}

/**
 * What the dashboard's guard reads on every request: the token version ends tokens issued before
 * it. Built once, its value a placeholder: every admin request pays for this read.
 */
const adminByIdRead = preparedOnce((db) =>
  db
    .select({
      id: adminAccounts.id,
      username: adminAccounts.username,
      tokenVersion: adminAccounts.tokenVersion,
    })
    .from(adminAccounts)
    .where(eq(adminAccounts.id, sql.placeholder('id')))
    .limit(1)
    .prepare(),
)

export async function adminById(
  db: Database,
  id: number,
): Promise<{ id: number; username: string; tokenVersion: number } | undefined> {
  const [row] = await adminByIdRead(db).execute({ id })
  return row
}

export async function adminAccountById(db: Database | Tx, id: number): Promise<AdminAccountRow | undefined> {
  const [account] = await db.select().from(adminAccounts).where(eq(adminAccounts.id, id)).limit(1)
  return account
}

export async function recordAdminLogin(db: Database | Tx, adminId: number, at: Date): Promise<void> {
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

/** Ends every token issued to the admin so far (they carry the version they were issued under). */
export async function endAdminSessions(db: Database | Tx, adminId: number): Promise<void> {
  await db
    .update(adminAccounts)
    .set({ tokenVersion: sql`${adminAccounts.tokenVersion} + 1` })
    .where(eq(adminAccounts.id, adminId))
}

/** A new password hash; the caller ends the sessions in the same transaction. */
export async function setAdminPasswordHash(
  db: Database | Tx,
  adminId: number,
  passwordHash: string,
): Promise<void> {
  await db.update(adminAccounts).set({ passwordHash }).where(eq(adminAccounts.id, adminId))
}
