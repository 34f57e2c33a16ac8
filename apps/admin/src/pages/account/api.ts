import type { AdminPasswordBody, AdminSessionsEnded } from '@yuyue/contracts'
import { request } from '../../lib/request'

/** Ends every token the admin holds, this tab's included. */
export function logOut() {
  return request<AdminSessionsEnded>('/api/admin/auth/logout', { method: 'POST' })
}

/** Sets a new password; like a logout, every token the admin held ends. */
export function changePassword(body: AdminPasswordBody) {
  return request<AdminSessionsEnded>('/api/admin/auth/password', { method: 'POST', body })
}
