import type { SheetRow } from './csv'

function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  // phone numbers typed into Excel are numbers; String() writes integers below 1e21 in full
  return String(value)
}

const isZip = (bytes: Uint8Array) =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/**
 * The first sheet of a workbook as rows of text, numbered as Excel numbers them. SheetJS is
 * about 400 KB, so it is loaded here, on demand, only when someone picks an .xlsx file.
 */
export async function readXlsxRows(bytes: Uint8Array): Promise<SheetRow[]> {
  // an .xlsx is a zip archive; anything else SheetJS would guess at, e.g. read text as CSV
  if (!isZip(bytes)) throw new Error('not an XLSX file')
  const XLSX = await import('@e965/xlsx')
  const workbook = XLSX.read(bytes, { type: 'array', dense: true, cellDates: false, cellHTML: false })
  const firstName = workbook.SheetNames[0]
  const sheet = firstName === undefined ? undefined : workbook.Sheets[firstName]
  if (!sheet?.['!ref']) return []
  const firstRow = XLSX.utils.decode_range(sheet['!ref']).s.r
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, {
    header: 1,
    raw: true,
    defval: '',
    blankrows: true,
  })
  return rows.map((cells, index) => ({ row: firstRow + index + 1, cells: cells.map(cellText) }))
}
