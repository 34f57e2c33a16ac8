import { formulaSafe } from './cells'

/** Excel reads a CSV as UTF-8 only when it starts with the byte order mark. */
const BOM = '\uFEFF'

function csvField(value: string): string {
  const safe = formulaSafe(value)
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

const csvLine = (cells: string[]) => `${cells.map(csvField).join(',')}\r\n`

/** A CSV file (RFC 4180, CRLF, UTF-8 with BOM) written page by page as the rows arrive. */
export async function* csvFile(header: string[], pages: AsyncIterable<string[][]>): AsyncGenerator<string> {
  yield BOM + csvLine(header)
  for await (const page of pages) yield page.map(csvLine).join('')
}
