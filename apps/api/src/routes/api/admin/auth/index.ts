import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AdminLoginBody, AdminLoginResponse, AdminPasswordBody, AdminSessionsEnded } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import {
  changeAdminPassword,
  logOutAdmin,
  toAdminAccount,
  verifyAdminLogin,
} from '../../../../domain/admins/adminAccounts'
import { AppError } from '../../../../errors'
import { LOGIN_BODY_LIMIT, limitPerIp, limitRate } from '../../../../http/limitRate'
import { adminCaller } from '../../../../plugins/app/auth'
import { adminSecurity, responses } from '../../../schemas'

export default async function adminAuthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['admin']

  r.post(
    '/auth/login',
    {
      config: { auth: 'public' },
      bodyLimit: LOGIN_BODY_LIMIT,
      // per IP against spraying many names, before the body is read; per account below
      onRequest: limitPerIp(app, 'admin-login', () => app.config.RATE_LIMIT_ADMIN_LOGIN),
      schema: {
        tags,
        summary: 'Dashboard login',
        body: AdminLoginBody,
        response: responses(AdminLoginResponse),
      },
    },
    async (request, reply) => {
      const account = await verifyAdminLogin(
        app.domain,
        { ...request.body, ip: request.ip },
        {
          before: async (account) => {
            const verdict = await app.adminLoginThrottle.check(account, request.ip)
            if (!verdict.allowed) {
              reply.header('retry-after', String(verdict.retryAfter))
              throw new AppError('RATE_LIMITED')
            }
          },
          failed: (account) => app.adminLoginThrottle.failed(account, request.ip),
          succeeded: (account) => app.adminLoginThrottle.succeeded(account, request.ip),
        },
      )
      const issued = app.tokens.issueAdmin({
        sub: String(account.id),
        name: account.username,
        ver: account.tokenVersion,
      })
      return { ...issued, admin: toAdminAccount(account) }
    },
  )

  r.post(
    '/auth/logout',
    {
      config: { auth: { audience: 'admin' } },
      schema: {
        tags,
        summary: 'End every token the admin holds',
        security: adminSecurity,
        response: responses(AdminSessionsEnded),
      },
    },
    async (request) => {
      await logOutAdmin(app.db, adminCaller(request))
      return { ok: true as const }
    },
  )

  r.post(
    '/auth/password',
    {
      config: { auth: { audience: 'admin' } },
      bodyLimit: LOGIN_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Change the password; every token the admin holds ends',
        security: adminSecurity,
        body: AdminPasswordBody,
        response: responses(AdminSessionsEnded),
      },
    },
    async (request, reply) => {
      const admin = adminCaller(request)
      // the current password is a secret worth guessing with a stolen token: limited like a login
      await limitRate(app, reply, app.config.RATE_LIMIT_ADMIN_LOGIN, [`admin-password:${admin.adminId}`])
      await changeAdminPassword(app.db, admin, request.body)
      return { ok: true as const }
    },
  )
}
