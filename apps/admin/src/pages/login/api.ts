import type { AdminLoginBody, AdminLoginResponse } from '@yuyue/contracts'
import { request } from '../../lib/request'

export function logIn(body: AdminLoginBody) {
  return request<AdminLoginResponse>('/api/admin/auth/login', { method: 'POST', body, auth: false })
}
