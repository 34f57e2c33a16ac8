import type { AdminUser, AdminUsersQuery, AdminUsersResponse } from '@yuyue/contracts'
import { request } from '../../lib/request'

export const userKeys = {
  all: ['users'] as const,
  list: (query: AdminUsersQuery) => ['users', 'list', query] as const,
}

export function fetchUsers(query: AdminUsersQuery, signal?: AbortSignal) {
  return request<AdminUsersResponse>('/api/admin/users', { query: { ...query }, signal })
}

/** 禁用 / 启用: answers the updated row, the same shape as a list item. */
export function setUserDisabled(id: number, isDeleted: boolean) {
  return request<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body: { isDeleted } })
}
