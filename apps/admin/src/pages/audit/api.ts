import type { AuditExportQuery, AuditQuery, AuditResponse } from '@yuyue/contracts'
import { request, requestFile } from '../../lib/request'

export const auditKeys = {
  all: ['audit'] as const,
  page: (query: AuditQuery) => ['audit', query] as const,
}

/** Newest first (the API orders by id, descending). */
export function fetchAudit(query: AuditQuery, signal?: AbortSignal) {
  return request<AuditResponse>('/api/admin/audit', { query: { ...query }, signal })
}

/** What the filters show, as the API's CSV file. */
export function fetchAuditExport(query: AuditExportQuery) {
  return requestFile('/api/admin/audit/export', { query: { ...query } })
}
