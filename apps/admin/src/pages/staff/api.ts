import type {
  StaffImportResult,
  StaffImportRow,
  StaffListResponse,
  StaffQuery,
  StaffRemoveResult,
} from '@yuyue/contracts'
import { request } from '../../lib/request'

export const staffKeys = {
  all: ['staff'] as const,
  list: (query: StaffQuery) => ['staff', 'list', query] as const,
}

export function fetchStaff(query: StaffQuery, signal?: AbortSignal) {
  return request<StaffListResponse>('/api/admin/staff', { query: { ...query }, signal })
}

export function importStaffRows(rows: StaffImportRow[], signal?: AbortSignal) {
  return request<StaffImportResult>('/api/admin/staff/import', { method: 'POST', body: { rows }, signal })
}

/** `key` is `mobileKey()` of the entry: the national number for 86, else `<code>-<number>`. */
export function removeStaff(key: string) {
  return request<StaffRemoveResult>(`/api/admin/staff/${encodeURIComponent(key)}`, { method: 'DELETE' })
}
