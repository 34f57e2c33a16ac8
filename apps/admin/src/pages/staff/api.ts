import type { StaffImportResult, StaffListResponse, StaffQuery, StaffRemoveResult } from '@yuyue/contracts'
import { request } from '../../lib/request'

export const staffKeys = {
  all: ['staff'] as const,
  list: (query: StaffQuery) => ['staff', 'list', query] as const,
}

export function fetchStaff(query: StaffQuery, signal?: AbortSignal) {
  return request<StaffListResponse>('/api/admin/staff', { query: { ...query }, signal })
}

/** `body` is a serialized `StaffImportBody`: the import worker writes it (see importChunks.ts). */
export function importStaffChunk(body: string, signal?: AbortSignal) {
  return request<StaffImportResult>('/api/admin/staff/import', { method: 'POST', json: body, signal })
}

/** `key` is `mobileKey()` of the entry: the national number for 86, else `<code>-<number>`. */
export function removeStaff(key: string) {
  return request<StaffRemoveResult>(`/api/admin/staff/${encodeURIComponent(key)}`, { method: 'DELETE' })
}
