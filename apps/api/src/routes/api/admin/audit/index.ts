import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminStats, AuditExportQuery, AuditQuery, AuditResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import Type from 'typebox'
import { exportAudit, listAudit } from '../../../../domain/audit/audit'
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
        summary: 'The audit log, newest first, by action, actor and local days; names beside ids',
        security: adminSecurity,
        querystring: AuditQuery,
        response: responses(AuditResponse),
      },
    },
    async (request) => listAudit(app.domain, request.query),
  )

  r.get(
    '/audit/export',
    {
      config: { auth: { audience: 'admin', permission: 'admin.audit.read' } },
      schema: {
        tags,
        summary: 'What the audit filters show, as CSV (UTF-8 with BOM), streamed',
        security: adminSecurity,
        querystring: AuditExportQuery,
        produces: ['text/csv'],
        response: responses(Type.String({ description: 'the CSV file' })),
      },
    },
    async (request, reply) => {
      const { from, to } = request.query
      const days = [from, to].filter(Boolean).join('_') || 'all'
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="audit-${days}.csv"; filename*=UTF-8''${encodeURIComponent(`操作日志-${days}.csv`)}`,
        )
      // Fastify sends a stream as it comes; the schema's string only documents the body
      const csv = Readable.from(exportAudit(app.domain, request.query))
      return reply.send(csv as unknown as string)
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
