import {
  DEFAULT_COUNTRY_CODE,
  normalizeMobile,
  STAFF_NAME_MAX,
  STAFF_NOTE_MAX,
  type StaffImportInvalidReason,
  type StaffImportRow,
} from '@yuyue/contracts'
import type { StaffFileRow } from './columns'

/** A row ready to send, with the file's row number to report the API's verdict against. */
export interface ImportableRow {
  row: number
  data: StaffImportRow
}

export interface RefusedRow {
  row: number
  mobile: string
  name: string
  note: string
  reason: StaffImportInvalidReason
}

export interface CheckedRows {
  valid: ImportableRow[]
  invalid: RefusedRow[]
  /** how many of `invalid` repeat an earlier row's phone number */
  duplicates: number
}

const blankToNull = (value: string) => value.trim() || null
const characters = (text: string) => [...text].length

/**
 * The API's own row checks (SPEC §4, `POST /api/admin/staff/import`), in the same order and
 * with the same phone normalisation, run over the whole file: the preview then says exactly
 * what the import will refuse, and a repeat is caught even when the file is sent in chunks
 * that the API sees one at a time.
 */
export function checkStaffRows(rows: StaffFileRow[]): CheckedRows {
  const valid: ImportableRow[] = []
  const invalid: RefusedRow[] = []
  const seen = new Set<string>()
  let duplicates = 0
  for (const source of rows) {
    const refuse = (reason: StaffImportInvalidReason) => invalid.push({ ...source, reason })
    const mobile = normalizeMobile(source.mobile)
    if (!mobile) {
      refuse('INVALID_MOBILE')
      continue
    }
    const key = `${mobile.countryCode}-${mobile.number}`
    if (seen.has(key)) {
      duplicates++
      refuse('DUPLICATE_IN_REQUEST')
      continue
    }
    seen.add(key)
    const name = blankToNull(source.name)
    const note = blankToNull(source.note)
    if (name && characters(name) > STAFF_NAME_MAX) {
      refuse('NAME_TOO_LONG')
      continue
    }
    if (note && characters(note) > STAFF_NOTE_MAX) {
      refuse('NOTE_TOO_LONG')
      continue
    }
    const data: StaffImportRow = {
      // the canonical form: short on the wire, and read back identically by the API
      mobile:
        mobile.countryCode === DEFAULT_COUNTRY_CODE
          ? mobile.number
          : `+${mobile.countryCode}${mobile.number}`,
    }
    if (name) data.name = name
    if (note) data.note = note
    valid.push({ row: source.row, data })
  }
  return { valid, invalid, duplicates }
}
