import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  AdminBooking,
  AdminBookingsQuery,
  AdminBookingsResponse,
  BookingsExportFile,
  BookingsExportQuery,
  CancelReasonBody,
  IdParams,
} from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../../../domain/audit/audit'
import { cancelBookingForAdmin, listAdminBookings } from '../../../../domain/bookings/adminBookings'
import { exportBookings } from '../../../../domain/bookings/bookingsExport'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminBookingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/bookings',
    {
      config: { auth: { audience: 'admin', permission: 'admin.bookings.read' } },
      schema: {
        tags,
        summary: 'Bookings by day range (from, to), slot, person, status or q (as for users)',
        security: adminSecurity,
        querystring: AdminBookingsQuery,
        response: responses(AdminBookingsResponse),
      },
    },
    async (request) => {
      const { page = 1, pageSize = 20 } = request.query
      return listAdminBookings(app.domain, { ...request.query, page, pageSize })
    },
  )

  r.get(
    '/bookings/export',
    {
      config: { auth: { audience: 'admin', permission: 'admin.bookings.read' } },
      schema: {
        tags,
        summary: 'The bookings of a day range (≤ 366 days) as XLSX or CSV, streamed',
        description: 'Phones are masked unless fullPhones=true; every export is audited.',
        security: adminSecurity,
        querystring: BookingsExportQuery,
        produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        response: responses(BookingsExportFile),
      },
    },
    async (request, reply) => {
      const file = await exportBookings(app.domain, actorOf(adminCaller(request)), request.query)
      reply
        .header('Content-Type', file.contentType)
        .header(
          'Content-Disposition',
          `attachment; filename="bookings.${request.query.format}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        )
        .header('Cache-Control', 'no-store')
      // a stream is sent as it is; the type the schema declares is the file it carries
      return reply.send(Readable.from(file.body) as unknown as Uint8Array)
    },
  )

  r.post(
    '/bookings/:id/cancel',
    {
      config: { auth: { audience: 'admin', permission: 'admin.bookings.write' } },
      schema: {
        tags,
        summary: "Cancel a person's booking with a reason (the person reads it in 我的预约)",
        security: adminSecurity,
        params: IdParams,
        body: CancelReasonBody,
        response: responses(AdminBooking),
      },
    },
    async (request) =>
      cancelBookingForAdmin(
        app.domain,
        actorOf(adminCaller(request)),
        request.params.id,
        request.body.reason,
      ),
  )
}
