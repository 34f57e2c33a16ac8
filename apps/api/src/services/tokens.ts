import { randomUUID } from 'node:crypto'
import type { JWT } from '@fastify/jwt'
import type { Audience } from '@yuyue/contracts'

export interface MiniappClaims {
  aud: 'miniapp'
  sub: string
  /** the user's token version when issued: disabling bumps it, ending every older token */
  ver: number
  app: string
  /** the WeChat identity (app + openid) the person logged in with */
  iid: number
}

export interface AdminClaims {
  aud: 'admin'
  sub: string
  name: string
  /** the admin's token version when issued: a logout or password change bumps it */
  ver: number
}

export type Claims = (MiniappClaims | AdminClaims) & { exp: number; iat?: number }

/** Longer than any token this service issues (~300 characters; an admin's name adds at most ~260): a longer one is refused unread. */
export const TOKEN_MAX_LENGTH = 1024

export interface IssuedToken {
  token: string
  expiresIn: number
}

/** Signs and reads the two kinds of token; the audience says which routes a token may call. */
export class TokenService {
  constructor(
    private readonly jwt: JWT,
    private readonly ttl: Record<Audience, number>,
  ) {}

  issueMiniapp(claims: Omit<MiniappClaims, 'aud'>): IssuedToken {
    return this.issue({ ...claims, aud: 'miniapp' })
  }

  issueAdmin(claims: Omit<AdminClaims, 'aud'>): IssuedToken {
    return this.issue({ ...claims, aud: 'admin' })
  }

  /** The claims of a valid, unexpired token of ours; null for anything else. */
  read(token: string): Claims | null {
    if (token.length > TOKEN_MAX_LENGTH) return null
    try {
      const claims = this.jwt.verify<Claims>(token)
      return typeof claims.sub === 'string' && (claims.aud === 'miniapp' || claims.aud === 'admin')
        ? claims
        : null
    } catch {
      return null
    }
  }

  private issue(claims: MiniappClaims | AdminClaims): IssuedToken {
    const expiresIn = this.ttl[claims.aud]
    const exp = Math.floor(Date.now() / 1000) + expiresIn
    // jti makes every issued token distinct, even two issued in the same second for the same claims
    return { token: this.jwt.sign({ ...claims, exp, jti: randomUUID() }), expiresIn }
  }
}
