import {
  type AuditAction,
  type AuditEntry,
  type AuditQuery,
  dayRange,
  localDateTime,
  maskMobile,
} from '@yuyue/contracts'
import type { Database, Tx } from '../../db/client'
import {
  type AuditFilters,
  auditPage,
  auditRows,
  insertAuditEntry,
  lockAuditGroup,
  namesOf,
  setAuditDetail,
} from '../../db/queries/audit'
import type { AuditRow } from '../../db/schema'
import { csvLine, UTF8_BOM } from '../../lib/spreadsheet/csv'
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

const actorColumns = (actor: AuditActor) => ({
  actorType: actor.type,
  actorId: 'id' in actor ? actor.id : null,
  actorName: actor.type === 'admin' ? actor.name : null,
})

/**
 * Written with the transaction of the change it records, so the log never claims a change that
 * was rolled back, nor misses one that was committed.
 */
export async function writeAudit(
  /** the change's transaction: drizzle's, or drizzle on a hot transaction's connection (`drizzleOn`) */
  tx: Tx | Database,
  entry: { actor: AuditActor; action: AuditAction; target: string; detail?: Record<string, unknown> },
): Promise<void> {
  await insertAuditEntry(tx, {
    ...actorColumns(entry.actor),
    action: entry.action,
    target: entry.target,
    detail: entry.detail ?? null,
  })
}

/**
 * One entry for all the requests of one import (the chunks of one file share its `importId`):
 * the first chunk writes it, each later one adds its counts, in the chunk's own transaction.
 */
export async function writeImportAudit(
  tx: Tx,
  entry: {
    actor: AuditActor
    importId: string
    fileName: string | null
    counts: Record<string, number>
  },
): Promise<void> {
  const groupKey = `staff.import:${entry.actor.type}:${'id' in entry.actor ? entry.actor.id : ''}:${entry.importId}`
  const existing = await lockAuditGroup(tx, groupKey)
  if (!existing) {
    await insertAuditEntry(tx, {
      ...actorColumns(entry.actor),
      action: 'staff.import',
      target: 'staff_directory',
      detail: { fileName: entry.fileName, ...entry.counts, chunks: 1 },
      groupKey,
    })
    return
  }
  const detail = { ...(existing.detail ?? {}) }
  for (const [key, value] of Object.entries({ ...entry.counts, chunks: 1 })) {
    detail[key] = (typeof detail[key] === 'number' ? detail[key] : 0) + value
  }
  await setAuditDetail(tx, existing.id, detail)
}

function actorLabel(row: AuditRow): string {
  if (row.actorType === 'system') return 'system'
  if (row.actorType === 'admin') return `admin:${row.actorName ?? row.actorId}`
  return `${row.actorType}:${row.actorId}`
}

/** `kind:<id>` of a target or actor label, when it names a row by id. */
function idIn(label: string, kind: string): number | null {
  const match = new RegExp(`^${kind}:(\\d+)$`).exec(label)
  return match ? Number(match[1]) : null
}

function readFilters(query: AuditQuery, timeZone: string): AuditFilters {
  const filters: AuditFilters = { action: query.action }
  if (query.actor) {
    const [type, ...rest] = query.actor.split(':') as [AuditRow['actorType'], ...string[]]
    const value = rest.join(':')
    filters.actor =
      type === 'admin' ? { type, name: value } : type === 'system' ? { type } : { type, id: Number(value) }
  }
  if (query.from) filters.from = dayRange(query.from, timeZone).start
  if (query.to) filters.before = dayRange(query.to, timeZone).end
  return filters
}

/** Names beside the ids of a page's entries: who a person is, what a slot or a booking was. */
async function withNames(deps: Pick<DomainDeps, 'db' | 'timeZone'>, entries: AuditEntry[]) {
  const collect = (kind: string, labels: string[]) =>
    [...new Set(labels.map((label) => idIn(label, kind)).filter((id) => id !== null))] as number[]
  const actors = entries.map((e) => e.actor)
  const targets = entries.map((e) => e.target)
  const found = await namesOf(deps.db, {
    users: collect('user', [...targets, ...actors]).concat(collect('staff', actors)),
    slots: collect('slot', targets),
    bookings: collect('booking', targets),
  })
  const person = (p: { nickname: string | null; mobile: string | null }) =>
    [p.nickname, p.mobile ? maskMobile(p.mobile) : null].filter(Boolean).join(' · ') || null
  const slot = (s: { title: string; startsAt: Date }) =>
    `${s.title} ${localDateTime(s.startsAt.toISOString(), deps.timeZone)}`
  const people = new Map(found.people.map((p) => [p.id, person(p)]))
  const slots = new Map(found.slots.map((s) => [s.id, slot(s)]))
  const bookings = new Map(
    found.bookings.map((b) => [b.id, [person(b), slot(b)].filter(Boolean).join(' · ')]),
  )
  return entries.map((entry) => {
    const actorId = idIn(entry.actor, 'user') ?? idIn(entry.actor, 'staff')
    const [kind, id] = [entry.target.split(':')[0], Number(entry.target.split(':')[1])]
    const targetName =
      kind === 'user'
        ? people.get(id)
        : kind === 'slot'
          ? slots.get(id)
          : kind === 'booking'
            ? bookings.get(id)
            : undefined
    return {
      ...entry,
      actorName: actorId === null ? null : (people.get(actorId) ?? null),
      targetName: targetName ?? null,
    }
  })
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

export async function listAudit(deps: Pick<DomainDeps, 'db' | 'timeZone'>, query: AuditQuery) {
  const page = query.page ?? 1
  const pageSize = query.pageSize ?? 20
  const { rows, total } = await auditPage(deps.db, readFilters(query, deps.timeZone), {
    limit: pageSize,
    offset: (page - 1) * pageSize,
  })
  return { items: await withNames(deps, rows.map(toAuditEntry)), total, page, pageSize }
}

const EXPORT_HEADER = ['时间', '操作人', '操作人名称', '操作', '对象', '对象名称', '详情']
const EXPORT_BATCH = 500

/**
 * What the filters show, as CSV (UTF-8 with BOM, spreadsheet-safe), newest first: read from the
 * database a row at a time and named a batch at a time, so the log's size never sits in memory.
 */
export async function* exportAudit(
  deps: Pick<DomainDeps, 'db' | 'timeZone'>,
  query: Omit<AuditQuery, 'page' | 'pageSize'>,
): AsyncGenerator<string> {
  yield UTF8_BOM + csvLine(EXPORT_HEADER)
  let batch: AuditEntry[] = []
  const flush = async () => {
    const named = await withNames(deps, batch)
    batch = []
    return named
      .map((e) =>
        csvLine([
          localDateTime(e.createdAt, deps.timeZone),
          e.actor,
          e.actorName,
          e.action,
          e.target,
          e.targetName,
          e.detail ? JSON.stringify(e.detail) : '',
        ]),
      )
      .join('')
  }
  for await (const row of auditRows(deps.db, readFilters(query, deps.timeZone))) {
    batch.push(toAuditEntry(row))
    if (batch.length >= EXPORT_BATCH) yield await flush()
  }
  if (batch.length > 0) yield await flush()
}
