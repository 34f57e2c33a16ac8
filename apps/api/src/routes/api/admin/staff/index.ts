import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import {
  StaffImportBody,
  StaffImportResult,
  StaffListResponse,
  StaffMobileParams,
  StaffQuery,
  StaffRemoveResult,
} from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../../../domain/audit/audit'
import { importStaff, listStaff, removeStaff } from '../../../../domain/staff/staffDirectory'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

/** Room for 5000 rows at their longest names and notes (3 bytes a character in UTF-8). */
const STAFF_IMPORT_BODY_LIMIT = 8 * 1024 * 1024

export default async function adminStaffRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/staff',
    {
      config: { auth: { audience: 'admin', permission: 'admin.staff.read' } },
      schema: {
        tags,
        summary: 'The staff directory; q matches a phone or name prefix',
        security: adminSecurity,
        querystring: StaffQuery,
        response: responses(StaffListResponse),
      },
    },
    async (request) => {
      const { page = 1, pageSize = 20, q } = request.query
      return listStaff(app.domain, { q, page, pageSize })
    },
  )

  r.post(
    '/staff/import',
    {
      config: { auth: { audience: 'admin', permission: 'admin.staff.write' } },
      // 5000 rows with Chinese names and notes run to ~5 MB of JSON
      bodyLimit: STAFF_IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import staff phones (at most 5000 rows a request; clients send larger files in chunks)',
        security: adminSecurity,
        body: StaffImportBody,
        response: responses(StaffImportResult),
      },
    },
    async (request) =>
      importStaff(app.domain, actorOf(adminCaller(request)), request.body.rows, request.body.dryRun ?? false),
  )

  r.delete(
    '/staff/:mobile',
    {
      config: { auth: { audience: 'admin', permission: 'admin.staff.write' } },
      schema: {
        tags,
        summary: 'Remove a staff phone (national number for 86, else <countryCode>-<number>)',
        security: adminSecurity,
        params: StaffMobileParams,
        response: responses(StaffRemoveResult),
      },
    },
    async (request) => removeStaff(app.domain, actorOf(adminCaller(request)), request.params.mobile),
  )
}
