export type StaffFileKind = 'csv' | 'xlsx'

/** Far more than any staff list; a bigger file is a mistake, and would only freeze the tab. */
export const STAFF_FILE_MAX_BYTES = 50 * 1024 * 1024

/** Which reader a file needs, by its name (`.txt`: Excel's "Unicode text" export is tab-separated). */
export function staffFileKind(fileName: string): StaffFileKind | null {
  const lower = fileName.toLowerCase()
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv'
  if (lower.endsWith('.xlsx')) return 'xlsx'
  return null
}
