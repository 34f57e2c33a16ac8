import { formulaSafe } from './cells'

/** Excel reads a CSV as UTF-8 only when it starts with the byte order mark. */
export const UTF8_BOM = '\uFEFF'

function csvField(value: string): string {
  const safe = formulaSafe(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** One CSV line (RFC 4180, CRLF) whose cells a spreadsheet will not run as formulas. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map((cell) => csvField(cell == null ? '' : String(cell))).join(',')}\r\n`
}

/** A CSV file (RFC 4180, CRLF, UTF-8 with BOM) written page by page as the rows arrive. */
export async function* csvFile(header: string[], pages: AsyncIterable<string[][]>): AsyncGenerator<string> {
  yield UTF8_BOM + csvLine(header)
  for await (const page of pages) yield page.map(csvLine).join('')
}
