import type { SandboxClock } from './clock'
import { SandboxInputError } from './input-error'
import { randomLoginCode, randomOpenid, randomSessionKey } from './random'
import { fail, succeed, type WechatOutcome } from './wechat-errors'

/** WeChat's documented lifetime of wx.login and getPhoneNumber codes. */
export const CODE_LIFETIME_MS = 5 * 60 * 1000

export interface LoginCodeRequest {
  appId: string
  openid?: string
  unionid?: string
}

/** `POST /__sandbox/login-codes`: one code per identity, for load generation. */
export interface LoginCodesRequest {
  appId: string
  identities: Omit<LoginCodeRequest, 'appId'>[]
}

export interface IssuedLoginCode {
  code: string
  openid: string
  unionid: string | null
}

export interface Code2SessionBody {
  session_key: string
  openid: string
  unionid?: string
}

interface LoginCode {
  appId: string
  openid: string
  unionid: string | null
  issuedAt: number
  used: boolean
}

/** A code past its lifetime answers 40029 whether used or not, so forgetting it changes no answer. */
export function sweepExpiredCodes(codes: Map<string, { issuedAt: number }>, now: number): void {
  for (const [code, issued] of codes) {
    if (now - issued.issuedAt > CODE_LIFETIME_MS) codes.delete(code)
  }
}

export class LoginCodes {
  private readonly codes = new Map<string, LoginCode>()
  /** An openid's unionid never changes on WeChat, so later codes for that openid carry it too. */
  private readonly unionidByIdentity = new Map<string, string | null>()
  private lastSweep = 0

  constructor(private readonly clock: SandboxClock) {}

  issue(request: LoginCodeRequest): IssuedLoginCode {
    const [issued] = this.issueMany(request.appId, [request])
    return issued!
  }

  /**
   * One code per identity, in order. The whole batch is checked before any code is issued, so a
   * refused batch (an openid asked with a unionid other than its own) leaves no trace.
   */
  issueMany(appId: string, identities: readonly Omit<LoginCodeRequest, 'appId'>[]): IssuedLoginCode[] {
    const now = this.clock.now()
    this.sweep(now)
    const planned = new Map<string, string | null>()
    const resolved = identities.map((request) => {
      const openid = request.openid ?? randomOpenid()
      const identity = `${appId}\n${openid}`
      const knownUnionid = planned.has(identity)
        ? (planned.get(identity) ?? null)
        : (this.unionidByIdentity.get(identity) ?? null)
      const requestedUnionid = request.unionid ?? null
      if (knownUnionid !== null && requestedUnionid !== null && knownUnionid !== requestedUnionid) {
        throw new SandboxInputError(
          `openid ${openid} of app ${appId} already has unionid ${knownUnionid}; a WeChat identity's unionid never changes`,
        )
      }
      const unionid = requestedUnionid ?? knownUnionid
      planned.set(identity, unionid)
      return { openid, unionid }
    })
    for (const [identity, unionid] of planned) this.unionidByIdentity.set(identity, unionid)
    return resolved.map(({ openid, unionid }) => {
      const code = randomLoginCode()
      this.codes.set(code, { appId, openid, unionid, issuedAt: now, used: false })
      return { code, openid, unionid }
    })
  }

  exchange(appId: string, code: string): WechatOutcome<Code2SessionBody> {
    const now = this.clock.now()
    const issued = this.codes.get(code)
    if (issued === undefined || issued.appId !== appId || now - issued.issuedAt > CODE_LIFETIME_MS) {
      return fail(40029)
    }
    if (issued.used) return fail(40163)
    issued.used = true
    const session: Code2SessionBody = { session_key: randomSessionKey(), openid: issued.openid }
    if (issued.unionid !== null) session.unionid = issued.unionid
    return succeed(session)
  }

  /** Whether a login code was ever issued for this openid of the app, i.e. WeChat knows the person. */
  knows(appId: string, openid: string): boolean {
    return this.unionidByIdentity.has(`${appId}\n${openid}`)
  }

  clear(): void {
    this.codes.clear()
    this.unionidByIdentity.clear()
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return
    this.lastSweep = now
    sweepExpiredCodes(this.codes, now)
  }
}
