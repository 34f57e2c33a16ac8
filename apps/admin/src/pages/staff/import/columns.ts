import { type SheetRow, unneutralise } from './csv'

export type StaffFileErrorCode = 'EMPTY' | 'NO_MOBILE_COLUMN' | 'UNREADABLE' | 'TOO_LARGE'

/** A file the import cannot use at all (as opposed to a row it refuses). */
export class StaffFileError extends Error {
  override readonly name = 'StaffFileError'
  constructor(readonly code: StaffFileErrorCode) {
    super(code)
  }
}

/** One data row of the file, as text, with its row number for the admin to find it again. */
export interface StaffFileRow {
  row: number
  mobile: string
  name: string
  note: string
}

type Field = 'mobile' | 'name' | 'note'

// header names people actually write, compared after `headerKey` below
const ALIASES: Record<Field, string[]> = {
  mobile: [
    '手机号',
    '手机号码',
    '手机',
    '电话',
    '电话号码',
    '联系电话',
    '联系方式',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'phone',
    'phonenumber',
    'tel',
    'telephone',
    'cellphone',
  ],
  name: ['姓名', '名字', '名称', 'name', 'fullname', 'staffname'],
  note: ['备注', '说明', '备注信息', 'note', 'notes', 'remark', 'remarks', 'comment'],
}

/** `* 手机号 (必填)`, `Phone Number`, `phone_number` all compare equal to their alias. */
function headerKey(cell: string): string {
  return cell
    .replace(/^\ufeff/, '')
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s_*:：-]/g, '')
    .toLowerCase()
}

function fieldOf(cell: string): Field | null {
  const key = headerKey(cell)
  for (const field of ['mobile', 'name', 'note'] as const) {
    if (ALIASES[field].includes(key)) return field
  }
  return null
}

const isBlank = (row: SheetRow) => row.cells.every((cell) => cell.trim() === '')

/**
 * Finds which column holds what. The first non-blank row is a header when any of its cells is a
 * known column name; then the phone column must be among them, and unknown columns are ignored
 * (so a downloaded "invalid rows" file, with its extra row-number and reason columns, can be
 * fixed and imported again). Without a header: phone, name, note, in that order.
 */
export function readStaffColumns(rows: SheetRow[]): { header: boolean; rows: StaffFileRow[] } {
  const data = rows.filter((row) => !isBlank(row))
  const first = data[0]
  if (!first) throw new StaffFileError('EMPTY')

  const fields = first.cells.map(fieldOf)
  const header = fields.some((field) => field !== null)
  const column = { mobile: 0, name: 1, note: 2 }
  if (header) {
    const at = (field: Field) => fields.indexOf(field)
    if (at('mobile') === -1) throw new StaffFileError('NO_MOBILE_COLUMN')
    column.mobile = at('mobile')
    column.name = at('name')
    column.note = at('note')
  }
  const body = header ? data.slice(1) : data
  if (body.length === 0) throw new StaffFileError('EMPTY')
  // a file we wrote may carry the formula guard before a phone number, in a CSV or in an XLSX
  // that Excel saved from it
  const cell = (row: SheetRow, index: number) => (index === -1 ? '' : unneutralise(row.cells[index] ?? ''))
  return {
    header,
    rows: body.map((row) => ({
      row: row.row,
      mobile: cell(row, column.mobile),
      name: cell(row, column.name),
      note: cell(row, column.note),
    })),
  }
}
