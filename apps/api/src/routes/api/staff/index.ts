import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  BookingIdParams,
  BookingResponse,
  ScanCheckInBody,
  ScanCheckInResponse,
  StaffBookingsQuery,
  StaffBookingsResponse,
} from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { checkIn, staffDay } from '../../../domain/bookings/bookings'
import { scanCheckIn, undoCheckIn } from '../../../domain/bookings/checkIns'
import { requestedDay } from '../../../domain/bookings/slots'
import { miniappCaller } from '../../../plugins/app/auth'
import { miniappSecurity, responses } from '../../schemas'

export default async function staffRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['staff']

  r.get(
    '/bookings',
    {
      config: { auth: { audience: 'miniapp', permission: 'staffBookings.read' } },
      schema: {
        tags,
        summary: 'The staff booking view: every slot of the day with its bookings',
        security: miniappSecurity,
        querystring: StaffBookingsQuery,
        response: responses(StaffBookingsResponse),
      },
    },
    async (request) => staffDay(app.domain, requestedDay(app.domain, request.query.date)),
  )

  r.post(
    '/bookings/:id/check-in',
    {
      config: { auth: { audience: 'miniapp', permission: 'staffBookings.checkIn' } },
      schema: {
        tags,
        summary: 'Check a person in',
        security: miniappSecurity,
        params: BookingIdParams,
        response: responses(BookingResponse),
      },
    },
    async (request) => {
      const caller = miniappCaller(request)
      return { booking: await checkIn(app.domain, { type: 'staff', id: caller.userId }, request.params.id) }
    },
  )

  r.post(
    '/check-ins',
    {
      config: { auth: { audience: 'miniapp', permission: 'staffBookings.checkIn' } },
      schema: {
        tags,
        summary: 'Check a person in by their scanned 预约码 (dryRun: who and which slot, nothing stored)',
        security: miniappSecurity,
        body: ScanCheckInBody,
        response: responses(ScanCheckInResponse),
      },
    },
    async (request) =>
      scanCheckIn(app.domain, { type: 'staff', id: miniappCaller(request).userId }, request.body),
  )

  r.post(
    '/bookings/:id/undo-check-in',
    {
      config: { auth: { audience: 'miniapp', permission: 'staffBookings.checkIn' } },
      schema: {
        tags,
        summary: 'Undo a check-in within 10 minutes of it',
        security: miniappSecurity,
        params: BookingIdParams,
        response: responses(BookingResponse),
      },
    },
    async (request) => ({
      booking: await undoCheckIn(
        app.domain,
        { type: 'staff', id: miniappCaller(request).userId },
        request.params.id,
      ),
    }),
  )
}
