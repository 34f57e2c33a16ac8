/**
 * A cell a spreadsheet would read as a formula starts with one of these (OWASP "CSV injection"):
 * such text is written with a leading apostrophe, which Excel and LibreOffice show as plain text.
 */
const FORMULA_START = /^[=+\-@\t\r]/

export function formulaSafe(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}
