import { and, count, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { type AuditRow, auditLog, bookings, slots, users } from '../schema'

export async function insertAuditEntry(
  tx: Tx | Database,
  entry: {
    actorType: AuditRow['actorType']
    actorId: number | null
    actorName: string | null
    action: string
    target: string
    detail: Record<string, unknown> | null
    groupKey?: string | null
  },
): Promise<void> {
  await tx.insert(auditLog).values(entry)
}

/** The entry a group of changes shares (the chunks of one import), locked until the transaction ends. */
export async function lockAuditGroup(tx: Tx, groupKey: string): Promise<AuditRow | undefined> {
  const [row] = await tx.select().from(auditLog).where(eq(auditLog.groupKey, groupKey)).for('update')
  return row
}

export async function setAuditDetail(tx: Tx, id: number, detail: Record<string, unknown>): Promise<void> {
  await tx.update(auditLog).set({ detail }).where(eq(auditLog.id, id))
}

/** The log's filters, as the database reads them (the day range already in UTC). */
export interface AuditFilters {
  action?: string
  actor?: { type: AuditRow['actorType']; id?: number; name?: string }
  from?: Date
  before?: Date
}

function auditConditions(filters: AuditFilters): SQL | undefined {
  const conditions: SQL[] = []
  if (filters.action) conditions.push(eq(auditLog.action, filters.action))
  if (filters.actor) {
    conditions.push(eq(auditLog.actorType, filters.actor.type))
    if (filters.actor.id !== undefined) conditions.push(eq(auditLog.actorId, filters.actor.id))
    if (filters.actor.name !== undefined) conditions.push(eq(auditLog.actorName, filters.actor.name))
  }
  if (filters.from) conditions.push(gte(auditLog.createdAt, filters.from))
  if (filters.before) conditions.push(lt(auditLog.createdAt, filters.before))
  return conditions.length ? and(...conditions) : undefined
}

/** A page of the audit log, newest first, with the size of what the filters match. */
export async function auditPage(
  db: Database,
  filters: AuditFilters,
  page: { limit: number; offset: number },
) {
  const where = auditConditions(filters)
  const [rows, [total]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.id)).limit(page.limit).offset(page.offset),
    db.select({ value: count() }).from(auditLog).where(where),
  ])
  return { rows, total: total?.value ?? 0 }
}

/** Everything the filters match, newest first, read a row at a time (the export). */
export function auditRows(db: Database, filters: AuditFilters) {
  return db.select().from(auditLog).where(auditConditions(filters)).orderBy(desc(auditLog.id)).iterator()
}

/** What the log's entries name by id: people, slots and bookings, for names beside the ids. */
export async function namesOf(db: Database, ids: { users: number[]; slots: number[]; bookings: number[] }) {
  const none = Promise.resolve([])
  const [people, slotRows, bookingRows] = await Promise.all([
    ids.users.length
      ? db
          .select({ id: users.id, nickname: users.nickname, mobile: users.mobile })
          .from(users)
          .where(inArray(users.id, ids.users))
      : none,
    ids.slots.length
      ? db
          .select({ id: slots.id, title: slots.title, startsAt: slots.startsAt })
          .from(slots)
          .where(inArray(slots.id, ids.slots))
      : none,
    ids.bookings.length
      ? db
          .select({
            id: bookings.id,
            nickname: users.nickname,
            mobile: users.mobile,
            title: slots.title,
            startsAt: slots.startsAt,
          })
          .from(bookings)
          .innerJoin(users, eq(users.id, bookings.userId))
          .innerJoin(slots, eq(slots.id, bookings.slotId))
          .where(inArray(bookings.id, ids.bookings))
      : none,
  ])
  return { people, slots: slotRows, bookings: bookingRows }
}
