import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AuthResult, PhoneBindBody, WxLoginBody } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { bindPhone } from '../../../domain/accounts/bindPhone'
import { silentLogin } from '../../../domain/accounts/silentLogin'
import { toMiniappUser } from '../../../domain/users/userViews'
import { LOGIN_BODY_LIMIT, limitPerIp } from '../../../http/limitRate'
import { miniappCallerWithOpenid } from '../../../plugins/app/auth'
import { miniappSecurity, responses } from '../../schemas'

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.post(
    '/wx-login',
    {
      config: { auth: 'public' },
      bodyLimit: LOGIN_BODY_LIMIT,
      onRequest: limitPerIp(app, 'wx-login', () => app.config.RATE_LIMIT_WX_LOGIN),
      schema: {
        tags: ['mini-program'],
        summary: 'Silent login with a wx.login code',
        body: WxLoginBody,
        response: responses(AuthResult),
      },
    },
    async (request) => {
      const login = await silentLogin(app.domain, request.body)
      const issued = app.tokens.issueMiniapp({
        sub: String(login.user.id),
        ver: login.user.tokenVersion,
        app: login.appId,
        iid: login.identityId,
      })
      return { ...issued, user: toMiniappUser(login.user) }
    },
  )

  r.post(
    '/phone',
    {
      config: { auth: { audience: 'miniapp', permission: 'phone.bind', callerOpenid: true } },
      bodyLimit: LOGIN_BODY_LIMIT,
      schema: {
        tags: ['mini-program'],
        summary: 'Bind the phone number from a getPhoneNumber code (快捷登录)',
        security: miniappSecurity,
        body: PhoneBindBody,
        response: responses(AuthResult),
      },
    },
    async (request) => {
      const caller = miniappCallerWithOpenid(request)
      const user = await bindPhone(app.domain, caller, request.body.code)
      const issued = app.tokens.issueMiniapp({
        sub: String(user.id),
        ver: user.tokenVersion,
        app: caller.appId,
        iid: caller.identityId,
      })
      return { ...issued, user: toMiniappUser(user) }
    },
  )
}
