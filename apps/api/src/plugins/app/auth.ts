import jwt from '@fastify/jwt'
import { can } from '@yuyue/contracts'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { adminById } from '../../db/queries/admins'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import { TokenService } from '../../services/tokens'
import { UserStatusStore } from '../../services/userStatus'
import type { MiniappPrincipal, Principal, RouteAuth } from '../../types'

/** One /api route as the guard saw it registered: what it demands of its caller. */
export interface GuardedRoute {
  method: string
  url: string
  auth: RouteAuth
}

declare module 'fastify' {
  interface FastifyInstance {
    tokens: TokenService
    userStatus: UserStatusStore
    /** every /api route and its auth, in registration order (the security suite walks it) */
    apiRoutes: readonly GuardedRoute[]
  }
}

/** How many verified tokens are remembered (~0.35 KB each, the key and the claims: ~4 MB when full). */
const VERIFIED_TOKENS_KEPT = 10_000

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (!header) return null
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  return match?.[1] ?? null
}

/**
 * The guard. Every /api route declares `config.auth` (start-up fails otherwise, so no route is
 * public by accident). For mini-program tokens the user's status is read fresh on each request:
 * disabling, re-enabling and role changes apply on the very next call, whatever the token says.
 */
export default fp(
  async function auth(app: FastifyInstance) {
    await app.register(jwt, {
      secret: app.config.JWT_SECRET,
      sign: { algorithm: 'HS256' },
      verify: {
        algorithms: ['HS256'],
        // A person's token comes back on every request: fast-jwt remembers the claims it verified
        // (keyed by the token's SHA-256) until the token's expiry, at most 10 minutes, so a known
        // token is not decoded and its HMAC not checked again; refusals are not remembered. What
        // the token grants is still read fresh on every request (userStatus).
        cache: VERIFIED_TOKENS_KEPT,
      },
    })
    app.decorate(
      'tokens',
      new TokenService(app.jwt, {
        miniapp: app.config.TOKEN_TTL_SECONDS,
        admin: app.config.ADMIN_TOKEN_TTL_SECONDS,
      }),
    )
    const userStatus = new UserStatusStore(app.db, app.redis, app.config.REDIS_PREFIX, () =>
      app.redisPrimary.trusted(),
    )
    app.redisPrimary.onPrimaryChange(() => userStatus.forgetAll())
    app.decorate('userStatus', userStatus)
    app.decorateRequest('principal', null)

    const apiRoutes: GuardedRoute[] = []
    app.decorate('apiRoutes', apiRoutes)
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api')) return
      const auth = route.config?.auth
      if (!auth) throw new Error(`${route.method} ${route.url} does not declare config.auth`)
      for (const method of [route.method].flat()) apiRoutes.push({ method, url: route.url, auth })
    })

    async function authenticate(
      request: FastifyRequest,
      auth: Exclude<RouteAuth, 'public'>,
    ): Promise<Principal> {
      const token = bearerToken(request)
      if (!token) throw new AppError('UNAUTHORIZED')
      const claims = app.tokens.read(token)
      if (!claims) throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')
      if (claims.aud !== auth.audience) throw new AppError('FORBIDDEN', '该令牌不能访问此接口')

      if (claims.aud === 'admin') {
        const admin = await adminById(app.db, Number(claims.sub))
        // removed, logged out or password changed since this token was issued
        if (!admin || admin.tokenVersion !== claims.ver)
          throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')
        if (auth.permission && !can('admin', auth.permission)) throw new AppError('FORBIDDEN')
        return { kind: 'admin', adminId: admin.id, username: admin.username }
      }

      const userId = Number(claims.sub)
      // a route that needs the whole row reads it anyway, and the row carries the status
      const status = auth.callerOpenid
        ? await app.userStatus.withOpenid(userId, claims.iid)
        : auth.callerRow
          ? await app.userStatus.fromDatabase(userId)
          : await app.userStatus.get(userId)
      if (!status) throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')
      if (status.isDeleted) throw new AppError('USER_DISABLED')
      if (status.tokenVersion !== claims.ver) throw new AppError('UNAUTHORIZED', '登录已失效,请重新登录')
      if (auth.permission && !can(status.role, auth.permission)) throw new AppError('FORBIDDEN')
      return {
        kind: 'miniapp',
        userId,
        role: status.role,
        appId: claims.app,
        identityId: claims.iid,
        user: status.row,
        openid: status.openid,
      }
    }

    // a callback hook: a public route (the silent login) goes on without a promise's detour
    app.addHook('onRequest', (request, _reply, done) => {
      const auth = request.routeOptions.config.auth
      if (!auth || auth === 'public') return done()
      authenticate(request, auth).then((principal) => {
        request.principal = principal
        done()
      }, done)
    })
  },
  { name: 'auth', dependencies: ['database', 'redis'] },
)

/** The caller of a mini-program route (the guard has run, so there is one). */
export function miniappCaller(request: FastifyRequest) {
  const principal = request.principal
  if (principal?.kind !== 'miniapp') throw new AppError('UNAUTHORIZED')
  return principal
}

/** The caller of a route that declares `auth.callerRow`, with the row the guard read this request. */
export function miniappCallerRow(request: FastifyRequest): MiniappPrincipal & { user: UserRow } {
  const caller = miniappCaller(request)
  const auth = request.routeOptions.config.auth
  // the declaration is checked, not only the row: without Redis every guard reads the row, so a
  // route that forgot to declare it would work until Redis is configured
  if (typeof auth !== 'object' || !auth.callerRow || !caller.user) {
    throw new Error(`${request.method} ${request.routeOptions.url} does not declare auth.callerRow`)
  }
  return caller as MiniappPrincipal & { user: UserRow }
}

/** The caller of a route that declares `auth.callerOpenid`: the row and the openid the guard read. */
export function miniappCallerWithOpenid(
  request: FastifyRequest,
): MiniappPrincipal & { user: UserRow; openid: string } {
  const caller = miniappCaller(request)
  const auth = request.routeOptions.config.auth
  if (typeof auth !== 'object' || !auth.callerOpenid || !caller.user || caller.openid === undefined) {
    throw new Error(`${request.method} ${request.routeOptions.url} does not declare auth.callerOpenid`)
  }
  return caller as MiniappPrincipal & { user: UserRow; openid: string }
}

export function adminCaller(request: FastifyRequest) {
  const principal = request.principal
  if (principal?.kind !== 'admin') throw new AppError('UNAUTHORIZED')
  return principal
}
