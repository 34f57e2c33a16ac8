import { type CheckedRows, checkStaffRows } from './checkRows'
import { readStaffColumns, StaffFileError } from './columns'
import { parseCsv, type SheetRow } from './csv'
import { decodeText, type TextEncodingName } from './decodeText'
import { STAFF_FILE_MAX_BYTES, staffFileKind } from './fileKind'
import { readXlsxRows } from './xlsx'

export interface StaffFilePreview extends CheckedRows {
  fileName: string
  encoding: TextEncodingName | 'xlsx'
  header: boolean
  /** data rows in the file (blank rows and the header not counted) */
  total: number
}

/** Everything the preview shows, from a file's name and bytes. Pure: the worker only wraps it. */
export async function parseStaffFile(fileName: string, bytes: Uint8Array): Promise<StaffFilePreview> {
  const kind = staffFileKind(fileName)
  if (!kind) throw new StaffFileError('UNREADABLE')
  if (bytes.byteLength > STAFF_FILE_MAX_BYTES) throw new StaffFileError('TOO_LARGE')

  let sheet: SheetRow[]
  let encoding: StaffFilePreview['encoding']
  if (kind === 'xlsx') {
    try {
      sheet = await readXlsxRows(bytes)
    } catch {
      throw new StaffFileError('UNREADABLE')
    }
    encoding = 'xlsx'
  } else {
    const decoded = decodeText(bytes)
    sheet = parseCsv(decoded.text)
    encoding = decoded.encoding
  }
  const { header, rows } = readStaffColumns(sheet)
  return { fileName, encoding, header, total: rows.length, ...checkStaffRows(rows) }
}
