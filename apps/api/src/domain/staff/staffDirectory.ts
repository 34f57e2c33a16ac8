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
import mysql, { type ResultSetHeader } from 'mysql2'
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

const d = staffDirectory
const u = users
/**
 * The look-ups of an import, by the indexed national number: the numbers are escaped once by
 * mysql2 into one list (`?` of an array), as the upsert's values are. drizzle building an
 * `inArray` of 5 000 parameters per look-up was nearly a quarter of the API's CPU in an import.
 */
const LOOK_UP = {
  entries: `SELECT ${[d.countryCode, d.mobile, d.name, d.note].map((c) => c.name).join(', ')} FROM ${getTableName(d)} WHERE ${d.mobile.name} IN `,
  people: `SELECT ${[u.id, u.countryCode, u.mobile, u.role].map((c) => c.name).join(', ')} FROM ${getTableName(u)} WHERE ${u.mobile.name} IN `,
}

async function byNumber<Row extends { country_code: string | null; mobile: string | null }>(
  db: Database | Tx,
  head: string,
  rows: ValidRow[],
  lock: boolean,
): Promise<Row[]> {
  const numbers = [...new Set(rows.map((r) => r.mobile.number))]
  const [found] = await db.execute(
    sql.raw(`${head}(${mysql.format('?', [numbers])})${lock ? ' FOR UPDATE' : ''}`),
  )
  // the national number alone is indexed: keep the rows whose country code matches too
  const wanted = new Set(rows.map((r) => keyOf(r.mobile)))
  return (found as unknown as Row[]).filter((row) => wanted.has(`${row.country_code}-${row.mobile}`))
}

/** The directory's entries for these numbers (the dry run's counts are told from them). */
async function entriesFor(db: Database | Tx, rows: ValidRow[], lock: boolean) {
  const entries = await byNumber<EntryFound>(db, LOOK_UP.entries, rows, lock)
  return new Map(entries.map((e) => [`${e.country_code}-${e.mobile}`, { name: e.name, note: e.note }]))
}

/** The people holding these numbers who are not staff yet (locked, in an import). */
async function peopleToPromote(db: Database | Tx, rows: ValidRow[], lock: boolean) {
  const people = await byNumber<PersonFound>(db, LOOK_UP.people, rows, lock)
  return people.filter((p) => p.role === 'user').map((p) => Number(p.id))
}

/** What an import would do to the directory, told from its entries (the dry run's counts). */
function classify(rows: ValidRow[], existing: Awaited<ReturnType<typeof entriesFor>>) {
  const counts = { inserted: 0, updated: 0, unchanged: 0 }
  for (const row of rows) {
    const current = existing.get(keyOf(row.mobile))
    if (!current) counts.inserted++
    else if (
      (row.name !== null && row.name !== current.name) ||
      (row.note !== null && row.note !== current.note)
    )
      counts.updated++
    else counts.unchanged++
  }
  return counts
}

const UPSERT_HEAD = (() => {
  const columns = [d.countryCode, d.mobile, d.name, d.note, d.createdAt, d.updatedAt].map((c) => c.name)
  const given = (c: { name: string }) => `COALESCE(VALUES(${c.name}), ${c.name})`
  // byte for byte: the column's collation would call 'alice' and 'Alice' the same
  const same = (c: { name: string }) => `CAST(${given(c)} AS BINARY) <=> CAST(${c.name} AS BINARY)`
  const { name, note, updatedAt } = { name: d.name.name, note: d.note.name, updatedAt: d.updatedAt.name }
  return {
    insert: `INSERT INTO ${getTableName(d)} (${columns.join(', ')}) VALUES `,
    // A row without a name or a note keeps the one stored. The time of the change is the
    // import's, and only for a row that changes: it is assigned first, so it compares the stored
    // values whether the server assigns left to right or simultaneously.
    onDuplicate: ` ON DUPLICATE KEY UPDATE ${updatedAt} = IF(${same(d.name)} AND ${same(d.note)}, ${updatedAt}, VALUES(${updatedAt})), ${name} = ${given(d.name)}, ${note} = ${given(d.note)}`,
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
 * What one upsert of several rows did, in the server's own account, so an import needs no look-up
 * of the directory: its info says `Records: N  Duplicates: D`, and with CLIENT_FOUND_ROWS (set on the
 * pools) a row inserted counts 1 affected row, a row changed 2, a row found unchanged 1.
 */
function upsertCounts(header: Pick<ResultSetHeader, 'affectedRows' | 'info'>, rows: number) {
  const duplicates = Number(/Duplicates: (\d+)/.exec(header.info)?.[1] ?? Number.NaN)
  const updated = header.affectedRows - rows
  const counts = { inserted: rows - duplicates, updated, unchanged: duplicates - updated }
  if (!Object.values(counts).every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error(`an upsert of ${rows} rows answered ${header.affectedRows} affected, "${header.info}"`)
  }
  return counts
}

/** Writes rows into the directory; answers how many were inserted, updated and found unchanged. */
async function writeEntries(tx: Tx, rows: ValidRow[], now: Date) {
  // A one-row INSERT carries no `Records: … Duplicates: …` info: its entry is looked up (locked)
  // and compared instead, as a dry run does.
  const known = rows.length === 1 ? classify(rows, await entriesFor(tx, rows, true)) : null
  const [header] = await tx.execute(upsertEntries(rows, now))
  return known ?? upsertCounts(header, rows.length)
}

/**
 * Imports staff phones (SPEC §4): invalid rows are reported, valid ones applied in one
 * transaction with a handful of multi-row statements, and people already bound to an imported
 * number become staff. The counts are the server's own (`upsertCounts`); a dry run tells them from
 * the entries stored, by the rule the upsert applies (a test holds the two equal).
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
    const [entries, people] = await Promise.all([
      entriesFor(deps.db, valid, false),
      peopleToPromote(deps.db, valid, false),
    ])
    return { ...classify(valid, entries), promoted: people.length, invalid, dryRun }
  }

  const now = deps.now()
  return deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx) => {
      // the people first, then the directory: the order bindPhone locks them in (the person,
      // then the number's entry), so the two wait for each other rather than deadlock
      const toPromote = await peopleToPromote(tx, valid, true)
      await mark(toPromote)
      const counts = { inserted: 0, updated: 0, unchanged: 0 }
      for (let i = 0; i < valid.length; i += INSERT_BATCH) {
        const done = await writeEntries(tx, valid.slice(i, i + INSERT_BATCH), now)
        counts.inserted += done.inserted
        counts.updated += done.updated
        counts.unchanged += done.unchanged
      }
      if (toPromote.length > 0) {
        await tx.update(users).set({ role: 'staff', updatedAt: now }).where(inArray(users.id, toPromote))
      }
      const { inserted, updated, unchanged } = counts
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
      // the person first, then the entry: the order bindPhone and the import lock them in
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
      const [entry] = await tx
        .select({ id: staffDirectory.id })
        .from(staffDirectory)
        .where(
          and(eq(staffDirectory.countryCode, mobile.countryCode), eq(staffDirectory.mobile, mobile.number)),
        )
        .for('update')
      if (!entry) throw new AppError('NOT_FOUND', '工作人员手机号不存在')
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
