import { STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { WechatEndpoint } from '../endpoints'
import type { SandboxState } from '../state'
import { fail, type WechatOutcome, wechatErrorBody } from '../wechat-errors'

export interface WechatRoutesOptions {
  sandbox: SandboxState
}

type Query = Record<string, string | string[] | undefined>

/** WeChat reads an empty parameter as a missing one. */
function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Query)[name]
  const first = Array.isArray(value) ? value[0] : value
  return first === '' ? undefined : first
}

function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** WeChat parses POST bodies as JSON whatever the Content-Type says, and answers 47001 when it cannot. */
function jsonObjectBody(request: FastifyRequest): Record<string, unknown> | null {
  const raw = request.body
  if (raw === undefined || raw === '') return {}
  try {
    const parsed: unknown = JSON.parse(String(raw))
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/**
 * A call made with an access token and a JSON body: 41001 without a token, 40001 / 42001 for a bad
 * one, 47001 for a body that is not a JSON object, else `handle` with the token's app.
 */
function authorisedCall<T>(
  sandbox: SandboxState,
  request: FastifyRequest,
  handle: (appId: string, body: Record<string, unknown>) => WechatOutcome<T>,
): WechatOutcome<T> {
  const accessToken = queryParam(request, 'access_token')
  if (accessToken === undefined) return fail(41001)
  const token = sandbox.accessTokens.verify(accessToken)
  if (!token.ok) return token
  const body = jsonObjectBody(request)
  if (body === null) return fail(47001)
  return handle(token.body.appId, body)
}

export async function wechatRoutes(app: FastifyInstance, { sandbox }: WechatRoutesOptions): Promise<void> {
  const closing = new AbortController()
  // A request held by a delay fault must not keep the server from closing.
  app.addHook('preClose', async () => closing.abort())

  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))

  async function answer(
    reply: FastifyReply,
    endpoint: WechatEndpoint,
    handle: () => WechatOutcome<object>,
  ): Promise<FastifyReply> {
    sandbox.callStats.recordCall(endpoint)
    const fault = sandbox.faults.take(endpoint)
    if (fault !== null && fault.delayMs > 0) {
      try {
        await sleep(fault.delayMs, undefined, { signal: closing.signal })
      } catch {
        sandbox.callStats.recordOutcome(endpoint, 'http:503')
        return reply.code(503).type('text/plain; charset=utf-8').send('sandbox closing')
      }
    }
    if (fault?.httpStatus != null) {
      const status = fault.httpStatus
      sandbox.callStats.recordOutcome(endpoint, `http:${status}`)
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send(`${status} ${STATUS_CODES[status] ?? 'Error'}`)
    }
    const outcome = fault?.errcode != null ? fail(fault.errcode) : handle()
    sandbox.callStats.recordOutcome(endpoint, outcome.ok ? 'ok' : String(outcome.errcode))
    const body = outcome.ok
      ? outcome.body
      : wechatErrorBody(outcome.errcode, sandbox.clock.now(), outcome.detail)
    // WeChat labels code2Session's JSON as text/plain; clients that trust the header break on it.
    if (endpoint === '/sns/jscode2session') return reply.type('text/plain').send(JSON.stringify(body))
    return reply.send(body)
  }

  app.get('/sns/jscode2session', (request, reply) =>
    answer(reply, '/sns/jscode2session', () => {
      const appId = queryParam(request, 'appid')
      const secret = queryParam(request, 'secret')
      const code = queryParam(request, 'js_code')
      if (appId === undefined) return fail(41002)
      if (secret === undefined) return fail(41004)
      if (code === undefined) return fail(41008)
      if (queryParam(request, 'grant_type') !== 'authorization_code') return fail(40002)
      const credentials = sandbox.checkCredentials(appId, secret)
      if (!credentials.ok) return credentials
      return sandbox.loginCodes.exchange(appId, code)
    }),
  )

  app.post('/cgi-bin/stable_token', (request, reply) =>
    answer(reply, '/cgi-bin/stable_token', () => {
      const body = jsonObjectBody(request)
      if (body === null) return fail(47001)
      const appId = stringField(body, 'appid')
      const secret = stringField(body, 'secret')
      if (appId === undefined) return fail(41002)
      if (secret === undefined) return fail(41004)
      if (body.grant_type !== 'client_credential') return fail(40002)
      const credentials = sandbox.checkCredentials(appId, secret)
      if (!credentials.ok) return credentials
      return sandbox.accessTokens.stable(appId, body.force_refresh === true)
    }),
  )

  app.get('/cgi-bin/token', (request, reply) =>
    answer(reply, '/cgi-bin/token', () => {
      const appId = queryParam(request, 'appid')
      const secret = queryParam(request, 'secret')
      if (appId === undefined) return fail(41002)
      if (secret === undefined) return fail(41004)
      if (queryParam(request, 'grant_type') !== 'client_credential') return fail(40002)
      const credentials = sandbox.checkCredentials(appId, secret)
      if (!credentials.ok) return credentials
      return { ok: true, body: sandbox.accessTokens.legacy(appId) }
    }),
  )

  app.post('/wxa/business/getuserphonenumber', (request, reply) =>
    answer(reply, '/wxa/business/getuserphonenumber', () =>
      authorisedCall(sandbox, request, (appId, body) => {
        const code = stringField(body, 'code')
        if (code === undefined) return fail(47001)
        return sandbox.phoneCodes.redeem(appId, code, stringField(body, 'openid'))
      }),
    ),
  )

  app.post('/cgi-bin/message/subscribe/send', (request, reply) =>
    answer(reply, '/cgi-bin/message/subscribe/send', () =>
      authorisedCall(sandbox, request, (appId, body) =>
        sandbox.subscribeMessages.send(appId, body, (openid) => sandbox.knowsOpenid(appId, openid)),
      ),
    ),
  )
}
