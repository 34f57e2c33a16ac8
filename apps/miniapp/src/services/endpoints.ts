import type {
  AppConfigResponse,
  AuthResult,
  BookingResponse,
  MeResponse,
  MyBookingsResponse,
  SlotsResponse,
  StaffBookingsResponse,
  UpdateMeBody,
} from '@yuyue/contracts'
import type { ApiClient } from './apiClient'

/** The API routes the mini-program uses (SPEC §4), typed by the shared contracts. */
export function createEndpoints(client: ApiClient) {
  return {
    config: () => client.callPublic<AppConfigResponse>({ method: 'GET', path: '/api/config' }),
    wxLogin: (code: string, appId: string | undefined) =>
      client.callPublic<AuthResult>({
        method: 'POST',
        path: '/api/auth/wx-login',
        body: appId ? { code, appId } : { code },
      }),
    bindPhone: (code: string) =>
      client.call<AuthResult>({ method: 'POST', path: '/api/auth/phone', body: { code } }),
    me: () => client.call<MeResponse>({ method: 'GET', path: '/api/me' }),
    updateMe: (patch: UpdateMeBody) =>
      client.call<MeResponse>({ method: 'PATCH', path: '/api/me', body: patch }),
    uploadAvatar: (filePath: string) => client.upload<MeResponse>('/api/me/avatar', filePath, 'file'),

    slots: (date: string) => client.call<SlotsResponse>({ method: 'GET', path: `/api/slots?date=${date}` }),
    book: (slotId: number) =>
      client.call<BookingResponse>({ method: 'POST', path: '/api/bookings', body: { slotId } }),
    myBookings: (page: number, pageSize = 20) =>
      client.call<MyBookingsResponse>({
        method: 'GET',
        path: `/api/bookings/mine?page=${page}&pageSize=${pageSize}`,
      }),
    cancelBooking: (id: number) =>
      client.call<BookingResponse>({ method: 'POST', path: `/api/bookings/${id}/cancel` }),

    staffDay: (date: string) =>
      client.call<StaffBookingsResponse>({ method: 'GET', path: `/api/staff/bookings?date=${date}` }),
    checkIn: (id: number) =>
      client.call<BookingResponse>({ method: 'POST', path: `/api/staff/bookings/${id}/check-in` }),
  }
}

export type Endpoints = ReturnType<typeof createEndpoints>
