import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  BookingIdParams,
  BookingResponse,
  CreateBookingBody,
  MyBookingsQuery,
  MyBookingsResponse,
  SubscriptionsBody,
} from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { cancelBooking, createBooking, myBookings } from '../../../domain/bookings/bookings'
import { recordSubscriptions } from '../../../domain/subscriptions/subscriptions'
import { miniappCaller, miniappCallerRow } from '../../../plugins/app/auth'
import { miniappSecurity, responses } from '../../schemas'

export default async function bookingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['mini-program']

  r.post(
    '/',
    {
      config: { auth: { audience: 'miniapp', permission: 'bookings.create', callerRow: true } },
      schema: {
        tags,
        summary: 'Book a place in a slot (needs a bound phone)',
        security: miniappSecurity,
        body: CreateBookingBody,
        response: responses(BookingResponse),
      },
    },
    async (request) => ({
      booking: await createBooking(app.domain, miniappCallerRow(request), request.body.slotId),
    }),
  )

  r.get(
    '/mine',
    {
      config: { auth: { audience: 'miniapp', permission: 'bookings.readOwn' } },
      schema: {
        tags,
        summary: "The caller's bookings, upcoming first",
        security: miniappSecurity,
        querystring: MyBookingsQuery,
        response: responses(MyBookingsResponse),
      },
    },
    async (request) => {
      const { page = 1, pageSize = 20 } = request.query
      return myBookings(app.domain, miniappCaller(request).userId, page, pageSize)
    },
  )

  r.post(
    '/:id/cancel',
    {
      config: { auth: { audience: 'miniapp', permission: 'bookings.cancelOwn' } },
      schema: {
        tags,
        summary: 'Cancel one of the caller’s bookings before its slot starts',
        security: miniappSecurity,
        params: BookingIdParams,
        response: responses(BookingResponse),
      },
    },
    async (request) => ({
      booking: await cancelBooking(app.domain, miniappCaller(request).userId, request.params.id),
    }),
  )

  r.post(
    '/:id/subscriptions',
    {
      config: { auth: { audience: 'miniapp', permission: 'bookings.create' } },
      schema: {
        tags,
        summary: 'Record the subscribe messages the person accepted for one of their bookings',
        security: miniappSecurity,
        params: BookingIdParams,
        body: SubscriptionsBody,
        response: responses(BookingResponse),
      },
    },
    async (request) => ({
      booking: await recordSubscriptions(
        app.domain,
        miniappCaller(request),
        request.params.id,
        request.body.accepted,
      ),
    }),
  )
}
