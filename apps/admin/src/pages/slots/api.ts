import type {
  AdminSlot,
  AdminSlotsQuery,
  AdminSlotsResponse,
  CancelReasonBody,
  CancelSlotResult,
  CreateSlotsBody,
  RemovedResult,
  UpdateSlotBody,
} from '@yuyue/contracts'
import { request } from '../../lib/request'

export const slotKeys = {
  all: ['slots'] as const,
  list: (query: AdminSlotsQuery) => ['slots', 'list', query] as const,
}

/** Without a date the API answers today's slots (in its APP_TIMEZONE). */
export function fetchSlots(query: AdminSlotsQuery, signal?: AbortSignal) {
  return request<AdminSlotsResponse>('/api/admin/slots', { query: { ...query }, signal })
}

export function createSlots(body: CreateSlotsBody) {
  return request<AdminSlotsResponse>('/api/admin/slots', { method: 'POST', body })
}

export function deleteSlot(id: number) {
  return request<RemovedResult>(`/api/admin/slots/${id}`, { method: 'DELETE' })
}

export function updateSlot(id: number, body: UpdateSlotBody) {
  return request<AdminSlot>(`/api/admin/slots/${id}`, { method: 'PATCH', body })
}

export function withdrawSlot(id: number, body: CancelReasonBody) {
  return request<CancelSlotResult>(`/api/admin/slots/${id}/cancel`, { method: 'POST', body })
}
