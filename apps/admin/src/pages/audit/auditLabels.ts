import type { AuditEntry } from '@yuyue/contracts'
import type { Dictionary } from '../../app/i18n/zh'
import { formatDateTime } from '../../lib/time'

/** `admin:alice` → 管理员 alice, `user:7` → 用户 #7, `system` → 系统 */
export function actorLabel(actor: string, t: Dictionary): string {
  const [kind, ...rest] = actor.split(':')
  const id = rest.join(':')
  if (kind === 'admin') return t.audit.actors.admin(id)
  if (kind === 'user') return t.audit.actors.user(id)
  if (kind === 'staff') return t.audit.actors.staff(id)
  if (kind === 'system') return t.audit.actors.system
  return actor
}

/** `user:7` → 用户 #7, `slots:3-9` → 时段 #3 – #9, `staff_directory` → 工作人员名录 */
export function targetLabel(target: string, t: Dictionary): string {
  if (target === 'staff_directory') return t.audit.targets.staff_directory
  const at = target.indexOf(':')
  if (at === -1) return target
  const kind = target.slice(0, at)
  const rest = target.slice(at + 1)
  const targets = t.audit.targets
  switch (kind) {
    case 'user':
    case 'slot':
    case 'slots':
    case 'booking':
    case 'admin':
    case 'staff':
      return targets[kind](rest)
    default:
      return target
  }
}

function valueText(key: string, value: unknown, t: Dictionary): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const range = item as { start?: unknown; end?: unknown }
        return range && typeof range === 'object' && 'start' in range
          ? `${range.start}–${range.end}`
          : String(item)
      })
      .join(t.common.listSeparator)
  }
  if (key === 'startsAt' && typeof value === 'string') return formatDateTime(value)
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The detail object in words: `行数 12 · 新增 8 · 更新 1…`; unknown keys keep their name. */
export function detailText(detail: AuditEntry['detail'], t: Dictionary): string {
  if (!detail) return ''
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${t.audit.detailWords[key] ?? key} ${valueText(key, value, t)}`)
    .join(' · ')
}
