import type { Audience, MiniappRole, Permission } from '@yuyue/contracts'
import type { Redis } from 'ioredis'
import type { Lifecycle } from './app'
import type { Config } from './config'
import type { Database, DatabaseHandle } from './db/client'
import type { UserRow } from './db/schema'

/** What a route demands of its caller; every /api route must say (`config.auth`). */
export type RouteAuth =
  | 'public'
  | {
      audience: Audience
      permission?: Permission
      /**
       * The route needs the caller's whole row (a mini-program route): the guard reads it from the
       * database, which gives the fresh status too, so the status cache is not asked as well.
       * The handler takes it with `miniappCallerRow`.
       */
      callerRow?: true
      /**
       * The route asks WeChat about the caller: with the row, the guard reads the openid of the
       * identity the token names (one joined read) and refuses the token if that identity is gone.
       * The handler takes both with `miniappCallerWithOpenid`.
       */
      callerOpenid?: true
    }

export interface MiniappPrincipal {
  kind: 'miniapp'
  userId: number
  role: MiniappRole
  appId: string
  identityId: number
  /** the caller's row as the guard read it this request, when it came from the database (always for `callerRow` routes) */
  user?: UserRow
  /** the openid of the identity the token names, read with the row (`callerOpenid` routes) */
  openid?: string
}

export interface AdminPrincipal {
  kind: 'admin'
  adminId: number
  username: string
}

export type Principal = MiniappPrincipal | AdminPrincipal

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth
  }
  interface FastifyInstance {
    config: Config
    db: Database
    dbHandle: DatabaseHandle
    redis: Redis | null
    /** the current instant; tests may move it */
    now: () => Date
    lifecycle: Lifecycle
  }
  interface FastifyRequest {
    principal: Principal | null
  }
}
