import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AppConfigResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { appConfig } from '../../../domain/settings/appConfig'
import { responses } from '../../schemas'

export default async function configRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get(
    '/',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['mini-program', 'admin'],
        summary: "The venue's time zone (APP_TIMEZONE) and the booking rules in force",
        response: responses(AppConfigResponse),
      },
    },
    async () => appConfig(app.domain),
  )
}
