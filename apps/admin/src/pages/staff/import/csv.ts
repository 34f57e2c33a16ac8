/** One record of a delimited text file and its row number as Excel would show it (1-based). */
export interface SheetRow {
  row: number
  cells: string[]
}

/**
 * Excel writes commas; its "Unicode text" export writes tabs; some European locales write
 * semicolons. The first line decides.
 */
function delimiterOf(text: string): string {
  const end = text.search(/[\r\n]/)
  const firstLine = end === -1 ? text : text.slice(0, end)
  if (firstLine.includes(',')) return ','
  if (firstLine.includes('\t')) return '\t'
  if (firstLine.includes(';')) return ';'
  return ','
}

const QUOTE = 34
const CR = 13
const LF = 10

/**
 * RFC 4180 records: quoted cells may hold delimiters, doubled quotes and line breaks; lines end
 * with CRLF, LF or CR. A record spanning several lines still counts as one row, as in Excel.
 */
export function parseCsv(text: string): SheetRow[] {
  const delimiter = delimiterOf(text).charCodeAt(0)
  const rows: SheetRow[] = []
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let i = 0
  const n = text.length
  const endRecord = () => {
    cells.push(cell)
    rows.push({ row: rows.length + 1, cells })
    cells = []
    cell = ''
  }
  while (i < n) {
    const c = text.charCodeAt(i)
    if (quoted) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      const next = text.indexOf('"', i)
      const stop = next === -1 ? n : next
      cell += text.slice(i, stop)
      i = stop
      continue
    }
    if (c === QUOTE && cell.length === 0) {
      quoted = true
      i++
    } else if (c === delimiter) {
      cells.push(cell)
      cell = ''
      i++
    } else if (c === CR || c === LF) {
      endRecord()
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
    } else {
      // copy the run of ordinary characters at once: much faster than one at a time
      let j = i + 1
      while (j < n) {
        const d = text.charCodeAt(j)
        if (d === delimiter || d === CR || d === LF || d === QUOTE) break
        j++
      }
      cell += text.slice(i, j)
      i = j
    }
  }
  if (cell.length > 0 || cells.length > 0) endRecord()
  return rows
}

/**
 * A phone number as people write it: digits, spaces, dashes, parentheses and a leading `+`.
 * A spreadsheet may read `+86 139-0013-9000` as arithmetic, but arithmetic on digits calls
 * nothing and reaches no other cell; the attacks need a letter or `!`, `|`, `"` somewhere.
 */
const PHONE_LIKE = /^\+?[\d ()-]*\d[\d ()-]*$/

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a control character first)
 * gets a leading apostrophe: files we offer for download must not execute what someone typed.
 * A phone-like cell stays as it is, or the template and the refused rows would not import again.
 */
function neutralise(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !PHONE_LIKE.test(cell) ? `'${cell}` : cell
}

/**
 * A cell as it meant before `neutralise`: earlier versions also put the apostrophe before phone
 * numbers (`'+86 139-0013-9000`), and such files are still around to be imported again.
 */
export function unneutralise(cell: string): string {
  return cell.startsWith("'") && PHONE_LIKE.test(cell.slice(1)) ? cell.slice(1) : cell
}

function escapeCell(cell: string): string {
  const safe = neutralise(cell)
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** A CSV file Excel opens correctly on a Chinese Windows: UTF-8 with a BOM, CRLF line ends. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return `\ufeff${rows.map((row) => row.map(escapeCell).join(',')).join('\r\n')}\r\n`
}
