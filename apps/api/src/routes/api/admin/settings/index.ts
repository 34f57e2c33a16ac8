import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { BookingSettings } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../../../domain/audit/audit'
import { bookingRules, saveBookingRules } from '../../../../domain/settings/bookingRules'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminSettingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/settings',
    {
      config: { auth: { audience: 'admin', permission: 'admin.settings.read' } },
      schema: {
        tags,
        summary: 'The booking rules in force',
        security: adminSecurity,
        response: responses(BookingSettings),
      },
    },
    async () => bookingRules(app.domain),
  )

  r.put(
    '/settings',
    {
      config: { auth: { audience: 'admin', permission: 'admin.settings.write' } },
      schema: {
        tags,
        summary: 'Set the booking rules (window, cancel cutoff, daily limit, check-in opening)',
        security: adminSecurity,
        body: BookingSettings,
        response: responses(BookingSettings),
      },
    },
    async (request) => saveBookingRules(app.domain, actorOf(adminCaller(request)), request.body),
  )
}
