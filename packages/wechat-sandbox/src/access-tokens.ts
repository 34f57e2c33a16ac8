import type { SandboxClock } from './clock'
import { randomAccessToken } from './random'
import { fail, succeed, type WechatOutcome } from './wechat-errors'

/** WeChat's documented facts about access tokens. */
export const TOKEN_LIFETIME_MS = 7200 * 1000
const STABLE_RENEWAL_WINDOW_MS = 5 * 60 * 1000
const LEGACY_GRACE_MS = 5 * 60 * 1000
const FORCED_REFRESH_INTERVAL_MS = 30 * 1000
const FORCED_REFRESHES_PER_DAY = 20
/** WeChat's daily quotas reset at midnight in China (UTC+8). */
const CHINA_UTC_OFFSET_MS = 8 * 3600 * 1000
/** Tokens dead for a day are forgotten so a long benchmark does not grow memory; they then answer 40001. */
const DEAD_TOKEN_RETENTION_MS = 24 * 3600 * 1000

export interface AccessTokenBody {
  access_token: string
  expires_in: number
}

type TokenKind = 'stable' | 'legacy'

interface AccessToken {
  appId: string
  kind: TokenKind
  expiresAt: number
  cancelledAt: number | null
}

interface AppTokens {
  tokens: Set<string>
  currentStable: string | null
  latestLegacy: string | null
  lastForcedRefreshAt: number | null
  forcedRefreshDay: number
  forcedRefreshesThatDay: number
  lastSweep: number
}

function isUsable(token: AccessToken, now: number): boolean {
  return (token.cancelledAt === null || token.cancelledAt > now) && token.expiresAt > now
}

function remainingSeconds(token: AccessToken, now: number): number {
  return Math.floor((token.expiresAt - now) / 1000)
}

export class AccessTokens {
  private readonly tokens = new Map<string, AccessToken>()
  private readonly apps = new Map<string, AppTokens>()

  constructor(private readonly clock: SandboxClock) {}

  /** `POST /cgi-bin/stable_token`: one shared token per app, so concurrent holders never cancel each other. */
  stable(appId: string, forceRefresh: boolean): WechatOutcome<AccessTokenBody> {
    const now = this.clock.now()
    const app = this.appTokens(appId, now)
    const forcedRecently =
      app.lastForcedRefreshAt !== null && now - app.lastForcedRefreshAt < FORCED_REFRESH_INTERVAL_MS
    // Within 30 s of a forced refresh WeChat answers as in normal mode instead of refusing.
    if (forceRefresh && !forcedRecently) {
      const day = Math.floor((now + CHINA_UTC_OFFSET_MS) / 86_400_000)
      if (app.forcedRefreshDay !== day) {
        app.forcedRefreshDay = day
        app.forcedRefreshesThatDay = 0
      }
      if (app.forcedRefreshesThatDay >= FORCED_REFRESHES_PER_DAY) return fail(45009)
      app.forcedRefreshesThatDay += 1
      app.lastForcedRefreshAt = now
      this.cancel(app, 'stable', now)
      return succeed(this.issueStable(appId, app, now))
    }
    const current = app.currentStable === null ? undefined : this.tokens.get(app.currentStable)
    if (
      current !== undefined &&
      isUsable(current, now) &&
      current.expiresAt - now > STABLE_RENEWAL_WINDOW_MS
    ) {
      return succeed({ access_token: app.currentStable!, expires_in: remainingSeconds(current, now) })
    }
    // Near its end a new token is issued while the old one keeps working until its own expiry.
    return succeed(this.issueStable(appId, app, now))
  }

  /** `GET /cgi-bin/token`: every call issues a new token and cuts the previous one's life to 5 minutes. */
  legacy(appId: string): AccessTokenBody {
    const now = this.clock.now()
    const app = this.appTokens(appId, now)
    const previous = app.latestLegacy === null ? undefined : this.tokens.get(app.latestLegacy)
    if (previous !== undefined) {
      const graceEnd = now + LEGACY_GRACE_MS
      previous.cancelledAt = Math.min(previous.cancelledAt ?? graceEnd, graceEnd)
    }
    const access_token = this.issue(appId, app, 'legacy', now)
    app.latestLegacy = access_token
    return { access_token, expires_in: TOKEN_LIFETIME_MS / 1000 }
  }

  /** Resolves a presented token to its app, or the errcode WeChat answers for it. */
  verify(accessToken: string): WechatOutcome<{ appId: string }> {
    const now = this.clock.now()
    const token = this.tokens.get(accessToken)
    if (token === undefined) return fail(40001)
    const cancelled = token.cancelledAt !== null && token.cancelledAt <= now
    if (cancelled && token.cancelledAt! < token.expiresAt) return fail(40001)
    if (token.expiresAt <= now) return fail(42001)
    return succeed({ appId: token.appId })
  }

  /** Cancels every token of the app, as when another party force-refreshes. Returns how many were live. */
  revoke(appId: string): number {
    const now = this.clock.now()
    const app = this.apps.get(appId)
    return app === undefined ? 0 : this.cancel(app, null, now)
  }

  clear(): void {
    this.tokens.clear()
    this.apps.clear()
  }

  private issueStable(appId: string, app: AppTokens, now: number): AccessTokenBody {
    const access_token = this.issue(appId, app, 'stable', now)
    app.currentStable = access_token
    return { access_token, expires_in: TOKEN_LIFETIME_MS / 1000 }
  }

  private issue(appId: string, app: AppTokens, kind: TokenKind, now: number): string {
    const accessToken = randomAccessToken()
    this.tokens.set(accessToken, { appId, kind, expiresAt: now + TOKEN_LIFETIME_MS, cancelledAt: null })
    app.tokens.add(accessToken)
    return accessToken
  }

  private cancel(app: AppTokens, kind: TokenKind | null, now: number): number {
    let cancelled = 0
    for (const accessToken of app.tokens) {
      const token = this.tokens.get(accessToken)
      if (token === undefined || (kind !== null && token.kind !== kind) || !isUsable(token, now)) continue
      token.cancelledAt = now
      cancelled += 1
    }
    return cancelled
  }

  private appTokens(appId: string, now: number): AppTokens {
    let app = this.apps.get(appId)
    if (app === undefined) {
      app = {
        tokens: new Set(),
        currentStable: null,
        latestLegacy: null,
        lastForcedRefreshAt: null,
        forcedRefreshDay: -1,
        forcedRefreshesThatDay: 0,
        lastSweep: now,
      }
      this.apps.set(appId, app)
    } else if (now - app.lastSweep >= 60_000) {
      app.lastSweep = now
      this.forgetDeadTokens(app, now)
    }
    return app
  }

  private forgetDeadTokens(app: AppTokens, now: number): void {
    for (const accessToken of app.tokens) {
      const token = this.tokens.get(accessToken)
      const diedAt = token === undefined ? 0 : Math.min(token.cancelledAt ?? token.expiresAt, token.expiresAt)
      if (now - diedAt > DEAD_TOKEN_RETENTION_MS) {
        this.tokens.delete(accessToken)
        app.tokens.delete(accessToken)
      }
    }
  }
}
