import type { AuditAction, AuditEntry } from '@yuyue/contracts'
import type { Tx } from '../../db/client'
import { auditPage, insertAuditEntry } from '../../db/queries/audit'
import type { AuditRow } from '../../db/schema'
import type { Principal } from '../../types'
import type { Deps as DomainDeps } from '../deps'

export type AuditActor =
  | { type: 'admin'; id: number; name: string }
  | { type: 'user' | 'staff'; id: number }
  | { type: 'system' }

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'admin'
    ? { type: 'admin', id: principal.adminId, name: principal.username }
    : { type: principal.role, id: principal.userId }
}

/**
 * Written with the transaction of the change it records, so the log never claims a change that
 * was rolled back, nor misses one that was committed.
 */
export async function writeAudit(
  tx: Tx,
  entry: { actor: AuditActor; action: AuditAction; target: string; detail?: Record<string, unknown> },
): Promise<void> {
  await insertAuditEntry(tx, {
    actorType: entry.actor.type,
    actorId: 'id' in entry.actor ? entry.actor.id : null,
    actorName: entry.actor.type === 'admin' ? entry.actor.name : null,
    action: entry.action,
    target: entry.target,
    detail: entry.detail ?? null,
  })
}

function actorLabel(row: AuditRow): string {
  if (row.actorType === 'system') return 'system'
  if (row.actorType === 'admin') return `admin:${row.actorName ?? row.actorId}`
  return `${row.actorType}:${row.actorId}`
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    actor: actorLabel(row),
    action: row.action as AuditAction,
    target: row.target,
    detail: row.detail ?? null,
    createdAt: row.createdAt.toISOString(),
  }
}

export async function listAudit(deps: Pick<DomainDeps, 'db'>, page: number, pageSize: number) {
  const { rows, total } = await auditPage(deps.db, { limit: pageSize, offset: (page - 1) * pageSize })
  return { items: rows.map(toAuditEntry), total, page, pageSize }
}
