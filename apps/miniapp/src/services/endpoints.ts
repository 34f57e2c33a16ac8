import type {
  AccountDeletedResponse,
  AppConfigResponse,
  AuthResult,
  BookingResponse,
  MeResponse,
  MyBookingsResponse,
  SlotsResponse,
  StaffBookingsResponse,
  SubscribeKindName,
} from '@yuyue/contracts'
import type { ApiClient } from './apiClient'

/** The API routes the mini-program uses (SPEC §4), typed by the shared contracts. */
export function createEndpoints(client: ApiClient) {
  return {
    // read at launch beside the login: a failure shows the launch's own retry, not a prompt
    config: () =>
      client.callPublic<AppConfigResponse>({ method: 'GET', path: '/api/config' }, { askToRetry: false }),
    wxLogin: (code: string, appId: string | undefined, options?: { askToRetry?: boolean }) =>
      client.callPublic<AuthResult>(
        { method: 'POST', path: '/api/auth/wx-login', body: appId ? { code, appId } : { code } },
        options,
      ),
    bindPhone: (code: string) =>
      client.call<AuthResult>({ method: 'POST', path: '/api/auth/phone', body: { code } }),
    me: () => client.call<MeResponse>({ method: 'GET', path: '/api/me' }),
    saveNickname: (nickname: string) =>
      client.call<MeResponse>({ method: 'POST', path: '/api/me/profile', body: { nickname } }),
    deleteAccount: () => client.call<AccountDeletedResponse>({ method: 'DELETE', path: '/api/me' }),
    uploadAvatar: (filePath: string) => client.upload<MeResponse>('/api/me/avatar', filePath, 'file'),

    slots: (date: string) => client.call<SlotsResponse>({ method: 'GET', path: `/api/slots?date=${date}` }),
    book: (slotId: number) =>
      client.call<BookingResponse>({ method: 'POST', path: '/api/bookings', body: { slotId } }),
    myBookings: (page: number, pageSize = 20) =>
      client.call<MyBookingsResponse>({
        method: 'GET',
        path: `/api/bookings/mine?page=${page}&pageSize=${pageSize}`,
      }),
    subscribe: (id: number, accepted: SubscribeKindName[]) =>
      client.call<BookingResponse>({
        method: 'POST',
        path: `/api/bookings/${id}/subscriptions`,
        body: { accepted },
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
