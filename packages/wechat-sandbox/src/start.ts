import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { createSandboxApp, type SandboxOptions } from './app'
import type { AppCredentials } from './apps'
import type { FaultRequest } from './faults'
import type { IssuedLoginCode, LoginCodeRequest, LoginCodesRequest } from './login-codes'
import type { IssuedPhoneCode, PhoneCodeRequest, PhoneCodesRequest } from './phone-codes'
import type { SandboxState } from './state'
import type { SandboxStats } from './stats'
import type {
  DeclaredTemplate,
  PagesRequest,
  SentMessage,
  SubscriptionRequest,
  SubscriptionsRequest,
  TemplateRequest,
  UnusedSubscription,
} from './subscribe-messages'

export interface StartSandboxOptions extends SandboxOptions {
  /** Default 0: a free port, read back from `url` / `port`. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
}

/** A listening sandbox; its helpers act on the state directly, exactly as the control API does. */
export interface RunningSandbox {
  url: string
  port: number
  apps: AppCredentials[]
  app: FastifyInstance
  state: SandboxState
  close(): Promise<void>
  issueLoginCode(request: LoginCodeRequest): IssuedLoginCode
  issuePhoneCode(request: PhoneCodeRequest): IssuedPhoneCode
  issueLoginCodes(request: LoginCodesRequest): IssuedLoginCode[]
  issuePhoneCodes(request: PhoneCodesRequest): IssuedPhoneCode[]
  addFault(request: FaultRequest): { id: string }
  clearFaults(): void
  stats(): SandboxStats
  reset(): void
  advanceClock(ms: number): { now: number }
  revokeTokens(appId: string): { revoked: number }
  declareTemplate(request: TemplateRequest): DeclaredTemplate
  declarePages(request: PagesRequest): { pages: string[] }
  grantSubscriptions(request: SubscriptionRequest): { subscriptions: UnusedSubscription[] }
  grantSubscriptionsInBulk(request: SubscriptionsRequest): { granted: number }
  unusedSubscriptions(appId: string, openid: string): { subscriptions: UnusedSubscription[] }
  sentMessages(touser?: string): { messages: SentMessage[] }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const { port = 0, host = '127.0.0.1', ...sandboxOptions } = options
  const { app, sandbox } = createSandboxApp(sandboxOptions)
  await app.listen({ port, host })
  const boundPort = (app.server.address() as AddressInfo).port
  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    port: boundPort,
    apps: sandbox.apps.map((app) => ({ ...app })),
    app,
    state: sandbox,
    close: () => app.close(),
    issueLoginCode: (request) => sandbox.issueLoginCode(request),
    issuePhoneCode: (request) => sandbox.issuePhoneCode(request),
    issueLoginCodes: (request) => sandbox.issueLoginCodes(request),
    issuePhoneCodes: (request) => sandbox.issuePhoneCodes(request),
    addFault: (request) => sandbox.addFault(request),
    clearFaults: () => sandbox.clearFaults(),
    stats: () => sandbox.stats(),
    reset: () => sandbox.reset(),
    advanceClock: (ms) => sandbox.advanceClock(ms),
    revokeTokens: (appId) => sandbox.revokeTokens(appId),
    declareTemplate: (request) => sandbox.declareTemplate(request),
    declarePages: (request) => sandbox.declarePages(request),
    grantSubscriptions: (request) => sandbox.grantSubscriptions(request),
    grantSubscriptionsInBulk: (request) => sandbox.grantSubscriptionsInBulk(request),
    unusedSubscriptions: (appId, openid) => sandbox.unusedSubscriptions(appId, openid),
    sentMessages: (touser) => sandbox.sentMessages(touser),
  }
}
