import type { BookingSettings } from '@yuyue/contracts'
import { request } from '../../lib/request'

export const settingsKey = ['settings'] as const

export function fetchSettings(signal?: AbortSignal) {
  return request<BookingSettings>('/api/admin/settings', { signal })
}

export function saveSettings(body: BookingSettings) {
  return request<BookingSettings>('/api/admin/settings', { method: 'PUT', body })
}
