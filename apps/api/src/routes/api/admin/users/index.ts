import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminUser, AdminUsersQuery, AdminUsersResponse, IdParams, UpdateUserBody } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../../../domain/audit/audit'
import { listUsers, setUserDisabled } from '../../../../domain/users/adminUsers'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminUserRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.get(
    '/users',
    {
      config: { auth: { audience: 'admin', permission: 'admin.users.read' } },
      schema: {
        tags,
        summary: 'Search people: phone (whole or prefix), nickname prefix or exact openid',
        security: adminSecurity,
        querystring: AdminUsersQuery,
        response: responses(AdminUsersResponse),
      },
    },
    async (request) => {
      const { page = 1, pageSize = 20 } = request.query
      return listUsers(app.domain, { ...request.query, page, pageSize })
    },
  )

  r.patch(
    '/users/:id',
    {
      config: { auth: { audience: 'admin', permission: 'admin.users.update' } },
      schema: {
        tags,
        summary: '禁用 / 启用 a person',
        security: adminSecurity,
        params: IdParams,
        body: UpdateUserBody,
        response: responses(AdminUser),
      },
    },
    async (request) =>
      setUserDisabled(app.domain, actorOf(adminCaller(request)), request.params.id, request.body.isDeleted),
  )
}
