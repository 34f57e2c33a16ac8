/**
 * A CSV line (RFC 4180, CRLF) whose cells a spreadsheet will not run: a cell starting with `=`,
 * `+`, `-`, `@` or a tab/CR gets a leading apostrophe (OWASP's CSV-injection advice).
 */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map((cell) => csvCell(cell == null ? '' : String(cell))).join(',')}\r\n`
}

function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Excel reads a CSV as UTF-8 only when it starts with this mark. */
export const UTF8_BOM = '\ufeff'
