import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { BookingIdParams, BookingResponse, StaffBookingsQuery, StaffBookingsResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { checkIn, staffDay } from '../../../domain/bookings/bookings'
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
}
