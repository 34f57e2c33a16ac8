import type { Dictionary } from '../../../app/i18n/zh'
import type { RefusedRow } from './checkRows'
import { toCsv } from './csv'

/** The template offered for download: the Chinese header the import recognises, and two examples. */
export function staffTemplateCsv(): string {
  return toCsv([
    ['手机号', '姓名', '备注'],
    ['13800138000', '张三', '前台'],
    ['+86 139-0013-9000', '李四', ''],
  ])
}

/**
 * The refused rows, ready to fix in Excel and import again: the phone, name and note columns keep
 * their recognised names, and the extra row-number and reason columns are ignored on re-import.
 */
export function refusedRowsCsv(rows: readonly RefusedRow[], t: Dictionary): string {
  const sorted = [...rows].sort((a, b) => a.row - b.row)
  return toCsv([
    [t.staffImport.line, '手机号', '姓名', '备注', t.staffImport.reason],
    ...sorted.map((r) => [String(r.row), r.mobile, r.name, r.note, t.importReasons[r.reason]]),
  ])
}
