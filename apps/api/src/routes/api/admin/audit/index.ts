import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminStats, AuditQuery, AuditResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { listAudit } from '../../../../domain/audit/audit'
import { overview } from '../../../../domain/users/overview'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminAuditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/audit',
    {
      config: { auth: { audience: 'admin', permission: 'admin.audit.read' } },
      schema: {
        tags,
        summary: 'The audit log, newest first',
        security: adminSecurity,
        querystring: AuditQuery,
        response: responses(AuditResponse),
      },
    },
    async (request) => {
      const { page = 1, pageSize = 20 } = request.query
      return listAudit(app.domain, page, pageSize)
    },
  )

  r.get(
    '/stats',
    {
      config: { auth: { audience: 'admin', permission: 'admin.users.read' } },
      schema: {
        tags,
        summary: 'Counts for the dashboard overview',
        security: adminSecurity,
        response: responses(AdminStats),
      },
    },
    async () => overview(app.domain),
  )
}
