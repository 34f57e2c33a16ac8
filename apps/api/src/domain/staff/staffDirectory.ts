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
import { inTransaction, type Tx } from '../../db/client'
import { setRole } from '../../db/queries/people'
import { touchPhoneNumbers } from '../../db/queries/phoneNumbers'
import {
  type DirectoryRow,
  deleteEntry,
  directoryPage,
  entriesByNumber,
  insertNewEntries,
  lockEntry,
  lockStaffHolding,
  upsertEntries,
  upsertEntry,
  usersToPromote,
} from '../../db/queries/staffDirectory'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit, writeImportAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { phoneInQuery } from '../search/phoneInQuery'

type Deps = Pick<DomainDeps, 'db' | 'userStatus' | 'now'>

type ValidRow = DirectoryRow

const keyOf = (m: Mobile) => `${m.countryCode}-${m.number}`
/** How many rows one INSERT carries: large enough to be few statements, small enough for any packet limit. */
const INSERT_BATCH = 1000

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim()
  return trimmed ? trimmed : null
}

/** Reads the rows of an import: each is valid, or invalid with its index and the reason. */
function checkImportRows(rows: StaffImportRow[]) {
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

/** What an import would do to the directory, told from its entries (the dry run's counts). */
function classify(rows: ValidRow[], existing: Awaited<ReturnType<typeof entriesByNumber>>) {
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

/**
 * Writes rows into the directory; answers how many were inserted, updated and found unchanged.
 * While `attempt.allNew`, rows are first inserted as new (no look-up); once a number is found
 * stored, this import's later rows are written knowing the entries before.
 */
async function writeEntries(tx: Tx, rows: ValidRow[], now: Date, attempt: { allNew: boolean }) {
  if (rows.length > 1 && attempt.allNew) {
    if (await insertNewEntries(tx, rows, now)) return { inserted: rows.length, updated: 0, unchanged: 0 }
    attempt.allNew = false
  }
  if (rows.length > 1) {
    // the named rows' entries as they are, locked: their names tell which pieces go; the counts
    // come from the upsert itself, so rows without a name need no look-up
    const named = rows.filter((row) => row.name !== null)
    return upsertEntries(tx, rows, now, await entriesByNumber(tx, named, true))
  }
  // a one-row upsert carries no count of its own: its entry is looked up (locked) and compared
  // instead, as a dry run does
  const before = await entriesByNumber(tx, rows, true)
  await upsertEntry(tx, rows[0]!, now, before)
  return classify(rows, before)
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
  file: { importId?: string; fileName?: string; fileInvalid?: number } = {},
): Promise<StaffImportResult> {
  const { valid, invalid } = checkImportRows(rows)
  const empty = { inserted: 0, updated: 0, unchanged: 0, promoted: 0, invalid, dryRun }
  if (valid.length === 0) return empty

  if (dryRun) {
    const [entries, people] = await Promise.all([
      entriesByNumber(deps.db, valid, false),
      usersToPromote(deps.db, valid, false),
    ])
    return { ...classify(valid, entries), promoted: people.length, invalid, dryRun }
  }

  const now = deps.now()
  return deps.userStatus.changing((mark) =>
    inTransaction(
      deps.db,
      async (tx) => {
        // the numbers' rows first, as bindPhone and removeStaff write them: a binding of one of
        // these numbers waits for the import, or is aborted and retried on another Galera node,
        // and then finds the entry; the people found after that are every holder
        await touchPhoneNumbers(
          tx,
          valid.map((row) => row.mobile),
        )
        const toPromote = await usersToPromote(tx, valid, true)
        await mark(toPromote)
        const counts = { inserted: 0, updated: 0, unchanged: 0 }
        const attempt = { allNew: true }
        for (let i = 0; i < valid.length; i += INSERT_BATCH) {
          const done = await writeEntries(tx, valid.slice(i, i + INSERT_BATCH), now, attempt)
          counts.inserted += done.inserted
          counts.updated += done.updated
          counts.unchanged += done.unchanged
        }
        await setRole(tx, toPromote, 'staff', now)
        const { inserted, updated, unchanged } = counts
        const result = { inserted, updated, unchanged, promoted: toPromote.length, invalid, dryRun }
        // the counts as the admin saw them: rows the dashboard refused before sending are invalid too
        const refusedInFile = file.fileInvalid ?? 0
        const seen = {
          rows: rows.length + refusedInFile,
          inserted,
          updated,
          unchanged,
          promoted: toPromote.length,
          invalid: invalid.length + refusedInFile,
        }
        if (file.importId) {
          await writeImportAudit(tx, {
            actor,
            importId: file.importId,
            fileName: file.fileName ?? null,
            counts: seen,
          })
        } else {
          await writeAudit(tx, {
            actor,
            action: 'staff.import',
            target: 'staff_directory',
            detail: file.fileName ? { fileName: file.fileName, ...seen } : seen,
          })
        }
        return result
      },
      // no gap locks: the look-ups lock the entries and people of these numbers, nobody else
      { isolationLevel: 'read committed' },
    ),
  )
}

/** Removes an entry; the person bound to that number (if any) is a user again from their next request. */
export async function removeStaff(deps: Deps, actor: AuditActor, key: string): Promise<StaffRemoveResult> {
  const mobile = parseMobileKey(key)
  if (!mobile) throw new AppError('NOT_FOUND', '工作人员手机号不存在')
  const now = deps.now()
  return deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx) => {
      // the number's row, then the person, then the entry: the order bindPhone and the import
      // take them in; a binding of this number on another Galera node conflicts on the row
      await touchPhoneNumbers(tx, [mobile])
      const ids = await lockStaffHolding(tx, mobile)
      const entry = await lockEntry(tx, mobile)
      if (!entry) throw new AppError('NOT_FOUND', '工作人员手机号不存在')
      await mark(ids)
      await deleteEntry(tx, entry)
      await setRole(tx, ids, 'user', now)
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

/** The directory, newest first; `q` matches a phone (whole, start or tail) or any part of a name (indexed). */
export async function listStaff(
  deps: Pick<DomainDeps, 'db'>,
  query: { q?: string; page: number; pageSize: number },
) {
  const q = query.q?.trim()
  const { rows, total } = await directoryPage(deps.db, q ? { name: q, phone: phoneInQuery(q, 1) } : null, {
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  })
  const items: StaffEntry[] = rows.map(({ entry, userId }) => ({
    mobile: entry.mobile,
    countryCode: entry.countryCode,
    name: entry.name,
    note: entry.note,
    userId,
    createdAt: entry.createdAt.toISOString(),
  }))
  return { items, total, page: query.page, pageSize: query.pageSize }
}
