import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminLoginBody, AdminLoginResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { verifyAdminLogin } from '../../../domain/admins/adminAccounts'
import { LOGIN_BODY_LIMIT, limitPerIp, limitRate } from '../../rateLimit'
import { responses } from '../../schemas'

export default async function adminAuthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.post(
    '/auth/login',
    {
      config: { auth: 'public' },
      bodyLimit: LOGIN_BODY_LIMIT,
      // per IP against spraying many names, before the body is read; per username below
      onRequest: limitPerIp(app, 'admin-login', () => app.config.RATE_LIMIT_ADMIN_LOGIN),
      schema: {
        tags: ['admin'],
        summary: 'Dashboard login',
        body: AdminLoginBody,
        response: responses(AdminLoginResponse),
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      // against one name tried from many IPs
      await limitRate(app, reply, app.config.RATE_LIMIT_ADMIN_LOGIN, [
        `admin-login:user:${username.toLowerCase()}`,
      ])
      const admin = await verifyAdminLogin(app.db, username, password, app.now())
      const issued = app.tokens.issueAdmin({ sub: String(admin.id), name: admin.username })
      return { ...issued, admin }
    },
  )
}
