import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { SlotsQuery, SlotsResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { requestedDay, slotsOfDay } from '../../../domain/bookings/slots'
import { miniappCaller } from '../../../plugins/app/auth'
import { miniappSecurity, responses } from '../../schemas'

export default async function slotRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get(
    '/',
    {
      config: { auth: { audience: 'miniapp', permission: 'slots.read' } },
      schema: {
        tags: ['mini-program'],
        summary: 'Slots of a day (APP_TIMEZONE; today when date is omitted)',
        security: miniappSecurity,
        querystring: SlotsQuery,
        response: responses(SlotsResponse),
      },
    },
    async (request) => {
      const date = requestedDay(app.domain, request.query.date)
      return { date, items: await slotsOfDay(app.domain, miniappCaller(request).userId, date) }
    },
  )
}
