import {
  type Mobile,
  maskMobile,
  normalizeMobile,
  parseMobileKey,
  STAFF_NAME_MAX,
  STAFF_NOTE_MAX,
  type StaffEntry,
  type StaffImportInvalidReason,
  type StaffImportResult,
  type StaffImportRow,
  type StaffRemoveResult,
} from '@yuyue/contracts'
import { and, count, desc, eq, getTableName, inArray, like, or, sql } from 'drizzle-orm'
import mysql from 'mysql2'
import type { Database, Tx } from '../../db/client'
import { inTransaction } from '../../db/client'
import { staffDirectory, users } from '../../db/schema'
import { AppError } from '../../errors'
import type { UserStatusStore } from '../../services/userStatus'
import { type AuditActor, writeAudit } from '../audit/audit'

interface Deps {
  db: Database
  userStatus: UserStatusStore
  now: () => Date
}

interface ValidRow {
  mobile: Mobile
  /** null: leave an existing entry's value as it is */
  name: string | null
  note: string | null
}

const keyOf = (m: Mobile) => `${m.countryCode}-${m.number}`
/** How many rows one INSERT carries: large enough to be few statements, small enough for any packet limit. */
const INSERT_BATCH = 1000

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

/** Reads the rows of an import: each is valid, or invalid with its index and the reason. */
export function checkImportRows(rows: StaffImportRow[]) {
  const valid: ValidRow[] = []
  const invalid: { index: number; mobile: string; reason: StaffImportInvalidReason }[] = []
  const seen = new Set<string>()
  for (const [index, row] of rows.entries()) {
    const mobile = normalizeMobile(row.mobile)
    const refuse = (reason: StaffImportInvalidReason) => invalid.push({ index, mobile: row.mobile, reason })
    if (!mobile) {
      refuse('INVALID_MOBILE')
      continue
    }
    if (seen.has(keyOf(mobile))) {
      refuse('DUPLICATE_IN_REQUEST')
      continue
    }
    seen.add(keyOf(mobile))
    const name = blankToNull(row.name)
    const note = blankToNull(row.note)
    if (name && [...name].length > STAFF_NAME_MAX) refuse('NAME_TOO_LONG')
    else if (note && [...note].length > STAFF_NOTE_MAX) refuse('NOTE_TOO_LONG')
    else valid.push({ mobile, name, note })
  }
  return { valid, invalid }
}

interface EntryFound {
  country_code: string
  mobile: string
  name: string | null
  note: string | null
}
interface PersonFound {
  id: number
  country_code: string | null
  mobile: string | null
  role: 'user' | 'staff'
}

/**
 * Entries and people for these numbers, looked up by the indexed national number. The numbers
 * are escaped once by mysql2 into one list (`?` of an array), as the upsert's values are: drizzle
 * building an `inArray` of 5 000 parameters, twice per chunk, was nearly a quarter of the API's CPU
 * in an import.
 */
async function lookUp(db: Database | Tx, rows: ValidRow[], lock: boolean) {
  const numbers = [...new Set(rows.map((r) => r.mobile.number))]
  const wanted = new Set(rows.map((r) => keyOf(r.mobile)))
  const list = mysql.format('?', [numbers])
  const locking = lock ? ' FOR UPDATE' : ''
  const rowsOf = async <Row>(query: string): Promise<Row[]> => {
    const [found] = await db.execute(sql.raw(`${query}${locking}`))
    return found as unknown as Row[]
  }
  const [entries, people] = await Promise.all([
    rowsOf<EntryFound>(
      `SELECT country_code, mobile, name, note FROM staff_directory WHERE mobile IN (${list})`,
    ),
    rowsOf<PersonFound>(`SELECT id, country_code, mobile, role FROM users WHERE mobile IN (${list})`),
  ])
  const existing = new Map(
    entries
      .filter((e) => wanted.has(`${e.country_code}-${e.mobile}`))
      .map((e) => [`${e.country_code}-${e.mobile}`, { name: e.name, note: e.note }]),
  )
  const toPromote = people
    .filter((p) => p.role === 'user' && wanted.has(`${p.country_code}-${p.mobile}`))
    .map((p) => Number(p.id))
  return { existing, toPromote }
}

function classify(rows: ValidRow[], existing: Awaited<ReturnType<typeof lookUp>>['existing']) {
  const writes: ValidRow[] = []
  let inserted = 0
  let updated = 0
  let unchanged = 0
  for (const row of rows) {
    const current = existing.get(keyOf(row.mobile))
    if (!current) {
      inserted++
      writes.push(row)
    } else if (
      (row.name !== null && row.name !== current.name) ||
      (row.note !== null && row.note !== current.note)
    ) {
      updated++
      writes.push(row)
    } else {
      unchanged++
    }
  }
  return { writes, inserted, updated, unchanged }
}

const UPSERT_HEAD = (() => {
  const t = staffDirectory
  const columns = [t.countryCode, t.mobile, t.name, t.note, t.createdAt, t.updatedAt].map((c) => c.name)
  const kept = (c: { name: string }) => `${c.name} = COALESCE(VALUES(${c.name}), ${c.name})`
  return {
    insert: `INSERT INTO ${getTableName(t)} (${columns.join(', ')}) VALUES `,
    // a row without a name or a note keeps the one stored; the time of the change is the import's
    onDuplicate: ` ON DUPLICATE KEY UPDATE ${kept(t.name)}, ${kept(t.note)}, ${t.updatedAt.name} = VALUES(${t.updatedAt.name})`,
  }
})()

/**
 * One multi-row upsert into the directory. The values are escaped by mysql2's own `format` (what
 * it does to a parameterised query's values on this text protocol, times in UTC as the pool's):
 * drizzle's statement builder, walking 6 000 parameters per thousand rows, was ~40 % of an
 * import's CPU.
 */
function upsertEntries(rows: ValidRow[], now: Date) {
  const values = rows.map((row) =>
    mysql.format(
      '(?, ?, ?, ?, ?, ?)',
      [row.mobile.countryCode, row.mobile.number, row.name, row.note, now, now],
      false,
      'Z',
    ),
  )
  return sql.raw(`${UPSERT_HEAD.insert}${values.join(', ')}${UPSERT_HEAD.onDuplicate}`)
}

/**
 * Imports staff phones (SPEC §4): invalid rows are reported, valid ones applied in one
 * transaction with a handful of multi-row statements, and people already bound to an imported
 * number become staff. A dry run takes the same path up to the writes, so its counts are exactly
 * what the real import would answer.
 */
export async function importStaff(
  deps: Deps,
  actor: AuditActor,
  rows: StaffImportRow[],
  dryRun: boolean,
): Promise<StaffImportResult> {
  const { valid, invalid } = checkImportRows(rows)
  const empty = { inserted: 0, updated: 0, unchanged: 0, promoted: 0, invalid, dryRun }
  if (valid.length === 0) return empty

  if (dryRun) {
    const { existing, toPromote } = await lookUp(deps.db, valid, false)
    const { inserted, updated, unchanged } = classify(valid, existing)
    return { inserted, updated, unchanged, promoted: toPromote.length, invalid, dryRun }
  }

  const now = deps.now()
  return deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx) => {
      const { existing, toPromote } = await lookUp(tx, valid, true)
      const { writes, inserted, updated, unchanged } = classify(valid, existing)
      await mark(toPromote)
      for (let i = 0; i < writes.length; i += INSERT_BATCH) {
        await tx.execute(upsertEntries(writes.slice(i, i + INSERT_BATCH), now))
      }
      if (toPromote.length > 0) {
        await tx.update(users).set({ role: 'staff', updatedAt: now }).where(inArray(users.id, toPromote))
      }
      const result = { inserted, updated, unchanged, promoted: toPromote.length, invalid, dryRun }
      await writeAudit(tx, {
        actor,
        action: 'staff.import',
        target: 'staff_directory',
        detail: {
          rows: rows.length,
          inserted,
          updated,
          unchanged,
          promoted: toPromote.length,
          invalid: invalid.length,
        },
      })
      return result
    }),
  )
}

/** Removes an entry; the person bound to that number (if any) is a user again from their next request. */
export async function removeStaff(deps: Deps, actor: AuditActor, key: string): Promise<StaffRemoveResult> {
  const mobile = parseMobileKey(key)
  if (!mobile) throw new AppError('NOT_FOUND', '工作人员手机号不存在')
  const now = deps.now()
  return deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx) => {
      const matches = and(
        eq(staffDirectory.countryCode, mobile.countryCode),
        eq(staffDirectory.mobile, mobile.number),
      )
      const [entry] = await tx
        .select({ id: staffDirectory.id })
        .from(staffDirectory)
        .where(matches)
        .for('update')
      if (!entry) throw new AppError('NOT_FOUND', '工作人员手机号不存在')
      const holders = await tx
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            eq(users.countryCode, mobile.countryCode),
            eq(users.mobile, mobile.number),
            eq(users.role, 'staff'),
          ),
        )
        .for('update')
      const ids = holders.map((h) => h.id)
      await mark(ids)
      await tx.delete(staffDirectory).where(eq(staffDirectory.id, entry.id))
      if (ids.length > 0)
        await tx.update(users).set({ role: 'user', updatedAt: now }).where(inArray(users.id, ids))
      await writeAudit(tx, {
        actor,
        action: 'staff.remove',
        target: `staff:${maskMobile(mobile)}`,
        detail: { countryCode: mobile.countryCode, mobile: maskMobile(mobile), demoted: ids.length },
      })
      return { removed: true as const, demoted: ids.length }
    }),
  )
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The directory, newest first; `q` matches a phone prefix or a name prefix (both indexed). */
export async function listStaff(db: Database, query: { q?: string; page: number; pageSize: number }) {
  const q = query.q?.trim()
  let where: ReturnType<typeof or> | undefined
  if (q) {
    const digits = q.replace(/[\s\-+()]/g, '')
    const conditions = [like(staffDirectory.name, `${escapeLike(q)}%`)]
    if (/^\d+$/.test(digits)) {
      const full = normalizeMobile(q)
      conditions.push(
        full
          ? and(eq(staffDirectory.countryCode, full.countryCode), eq(staffDirectory.mobile, full.number))!
          : like(staffDirectory.mobile, `${digits}%`),
      )
    }
    where = or(...conditions)
  }
  const [rows, [total]] = await Promise.all([
    db
      .select({ entry: staffDirectory, userId: users.id })
      .from(staffDirectory)
      .leftJoin(
        users,
        and(eq(users.countryCode, staffDirectory.countryCode), eq(users.mobile, staffDirectory.mobile)),
      )
      .where(where)
      .orderBy(desc(staffDirectory.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ value: count() }).from(staffDirectory).where(where),
  ])
  const items: StaffEntry[] = rows.map(({ entry, userId }) => ({
    mobile: entry.mobile,
    countryCode: entry.countryCode,
    name: entry.name,
    note: entry.note,
    userId,
    createdAt: entry.createdAt.toISOString(),
  }))
  return { items, total: total?.value ?? 0, page: query.page, pageSize: query.pageSize }
}
