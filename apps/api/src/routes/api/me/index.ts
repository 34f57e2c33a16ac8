import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { AccountDeletedResponse, AVATAR_MAX_BYTES, MeResponse, ProfileBody } from '@yuyue/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { eraseAccount } from '../../../domain/accounts/eraseAccount'
import { saveNickname, storeAvatar } from '../../../domain/accounts/profile'
import { toMiniappUser } from '../../../domain/users/userViews'
import { limitRate } from '../../../http/limitRate'
import { miniappCaller, miniappCallerRow } from '../../../plugins/app/auth'
import { acceptMultipart, readUploadedFile } from '../../../plugins/external/uploads'
import { miniappSecurity, responses } from '../../schemas'

const HOUR_MS = 3_600_000

function publicBase(app: FastifyInstance, request: FastifyRequest): string {
  return app.config.PUBLIC_BASE_URL ?? `${request.protocol}://${request.host}`
}

export default async function meRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['mini-program']

  r.get(
    '/',
    {
      config: { auth: { audience: 'miniapp', permission: 'profile.read', callerRow: true } },
      schema: { tags, summary: 'The caller', security: miniappSecurity, response: responses(MeResponse) },
    },
    async (request) => ({ user: toMiniappUser(miniappCallerRow(request).user) }),
  )

  // POST, not PATCH: wx.request has no PATCH (SPEC §6b)
  r.post(
    '/profile',
    {
      config: { auth: { audience: 'miniapp', permission: 'profile.update' } },
      schema: {
        tags,
        summary: "Set the nickname (after WeChat's nickname review passed)",
        security: miniappSecurity,
        body: ProfileBody,
        response: responses(MeResponse),
      },
    },
    async (request) => {
      const user = await saveNickname(app.db, miniappCaller(request).userId, request.body.nickname, app.now())
      return { user: toMiniappUser(user) }
    },
  )

  r.delete(
    '/',
    {
      config: { auth: { audience: 'miniapp', permission: 'account.delete' } },
      schema: {
        tags,
        summary: 'Delete the account (注销): phone unbound, profile erased, WeChat identities removed',
        security: miniappSecurity,
        response: responses(AccountDeletedResponse),
      },
    },
    async (request) => {
      const caller = miniappCaller(request)
      await eraseAccount(app.domain, { type: caller.role, id: caller.userId })
      return { ok: true as const }
    },
  )

  // the one route that takes a multipart body, in a context of its own (acceptMultipart)
  await app.register(async (scope) => {
    await acceptMultipart(scope)
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/avatar',
      {
        config: { auth: { audience: 'miniapp', permission: 'profile.update' } },
        // after the guard, before the body is read: each upload is decoded and re-encoded
        onRequest: async (request, reply) => {
          const limit = app.config.RATE_LIMIT_AVATAR_UPLOAD
          await limitRate(app, reply, limit, [`avatar:user:${miniappCaller(request).userId}`], HOUR_MS)
        },
        schema: {
          tags,
          summary: 'Upload an avatar (multipart, one image field `file`: png/jpeg/webp, at most 2 MB)',
          security: miniappSecurity,
          consumes: ['multipart/form-data'],
          response: responses(MeResponse),
        },
      },
      async (request) => {
        const caller = miniappCaller(request)
        const bytes = await readUploadedFile(request, 'file', AVATAR_MAX_BYTES)
        const user = await storeAvatar(app.db, {
          userId: caller.userId,
          bytes,
          publicBase: publicBase(app, request),
          now: app.now(),
        })
        return { user: toMiniappUser(user) }
      },
    )
  })
}
