import type {
  AdminBooking,
  AdminBookingsQuery,
  AdminBookingsResponse,
  BookingsExportQuery,
  CancelReasonBody,
} from '@yuyue/contracts'
import { request, requestFile } from '../../lib/request'

export const bookingKeys = {
  all: ['bookings'] as const,
  list: (query: AdminBookingsQuery) => ['bookings', 'list', query] as const,
}

export function fetchBookings(query: AdminBookingsQuery, signal?: AbortSignal) {
  return request<AdminBookingsResponse>('/api/admin/bookings', { query: { ...query }, signal })
}

export function cancelBooking(id: number, body: CancelReasonBody) {
  return request<AdminBooking>(`/api/admin/bookings/${id}/cancel`, { method: 'POST', body })
}

export function exportBookings(query: BookingsExportQuery) {
  return requestFile('/api/admin/bookings/export', { ...query })
}
