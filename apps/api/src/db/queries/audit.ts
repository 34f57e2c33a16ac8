import { count, desc } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { type AuditRow, auditLog } from '../schema'

export async function insertAuditEntry(
  tx: Tx,
  entry: {
    actorType: AuditRow['actorType']
    actorId: number | null
    actorName: string | null
    action: string
    target: string
    detail: Record<string, unknown> | null
  },
): Promise<void> {
  await tx.insert(auditLog).values(entry)
}

/** A page of the audit log, newest first, with the log's size. */
export async function auditPage(db: Database, page: { limit: number; offset: number }) {
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset),
    db.select({ value: count() }).from(auditLog),
  ])
  return { rows, total: total?.value ?? 0 }
}
