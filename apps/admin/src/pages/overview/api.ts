import type { AdminStats } from '@yuyue/contracts'
import { request } from '../../lib/request'

export const statsKey = ['stats'] as const

/** `GET /api/admin/stats`: the API's headline counts (beside the SPEC's routes, for this page). */
export function fetchStats(signal?: AbortSignal) {
  return request<AdminStats>('/api/admin/stats', { signal })
}
