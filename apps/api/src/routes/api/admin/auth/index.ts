import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminLoginBody, AdminLoginResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { verifyAdminLogin } from '../../../../domain/admins/adminAccounts'
import { limitRate } from '../../../../http/limitRate'
import { responses } from '../../../schemas'

export default async function adminAuthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.post(
    '/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['admin'],
        summary: 'Dashboard login',
        body: AdminLoginBody,
        response: responses(AdminLoginResponse),
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      // per IP against spraying many names, per username against one name from many IPs
      await limitRate(app, reply, app.config.RATE_LIMIT_ADMIN_LOGIN, [
        `admin-login:ip:${request.ip}`,
        `admin-login:user:${username.toLowerCase()}`,
      ])
      const admin = await verifyAdminLogin(app.domain, username, password)
      const issued = app.tokens.issueAdmin({ sub: String(admin.id), name: admin.username })
      return { ...issued, admin }
    },
  )
}
