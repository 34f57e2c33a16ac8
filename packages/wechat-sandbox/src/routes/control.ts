import type { FastifyError, FastifyInstance } from 'fastify'
import { BULK_BODY_LIMIT } from '../bulk'
import type { FaultRequest } from '../faults'
import { SandboxInputError } from '../input-error'
import type { LoginCodeRequest, LoginCodesRequest } from '../login-codes'
import type { PhoneCodeRequest, PhoneCodesRequest } from '../phone-codes'
import type { SandboxState } from '../state'
import type {
  PagesRequest,
  SubscriptionRequest,
  SubscriptionsRequest,
  TemplateRequest,
} from '../subscribe-messages'
import {
  acknowledgedSchema,
  clockSchema,
  faultSchema,
  grantSubscriptionsInBulkSchema,
  grantSubscriptionsSchema,
  healthSchema,
  loginCodeSchema,
  loginCodesSchema,
  messagesSchema,
  pagesSchema,
  phoneCodeSchema,
  phoneCodesSchema,
  revokeTokensSchema,
  statsSchema,
  templateSchema,
  unusedSubscriptionsSchema,
} from './control-schemas'

export interface ControlRoutesOptions {
  sandbox: SandboxState
}

function badRequest(message: string): FastifyError {
  return Object.assign(new Error(message), { statusCode: 400, code: 'SANDBOX_BAD_BODY', name: 'BadRequest' })
}

/** Registered under `/__sandbox`: the only routes a browser page on another origin may call. */
export async function controlRoutes(app: FastifyInstance, { sandbox }: ControlRoutesOptions): Promise<void> {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*')
  })
  app.options('/*', async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '600')
      .send(),
  )

  // A browser may post JSON as text/plain to skip the preflight, and a bodiless POST must not be a parse error.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    ['application/json', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = String(body)
      if (text.trim() === '') return done(null, undefined)
      try {
        done(null, JSON.parse(text))
      } catch {
        done(badRequest('body is not valid JSON'), undefined)
      }
    },
  )

  app.setSchemaErrorFormatter((errors, dataVar) => {
    const described = errors.map((error) => {
      const where = `${dataVar}${error.instancePath.replaceAll('/', '.')}`
      const params = error.params as Record<string, unknown>
      if (params.additionalProperty !== undefined)
        return `${where} has unknown field "${params.additionalProperty}"`
      if (params.allowedValues !== undefined) {
        return `${where} must be one of ${(params.allowedValues as unknown[]).join(', ')}`
      }
      return `${where} ${error.message ?? 'is invalid'}`
    })
    return new Error(described.join('; '))
  })

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof SandboxInputError || error.validation !== undefined) {
      return reply.code(400).send({ error: error.message })
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message })
    }
    request.log.error(error)
    return reply.code(500).send({ error: 'internal sandbox error' })
  })

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no control route ${request.method} ${request.url.split('?')[0]}` }),
  )

  app.get('/health', { schema: healthSchema }, async () => ({ status: 'ok', apps: sandbox.appIds }))

  app.post<{ Body: LoginCodeRequest }>('/login-code', { schema: loginCodeSchema }, async (request) =>
    sandbox.issueLoginCode(request.body),
  )

  app.post<{ Body: PhoneCodeRequest }>('/phone-code', { schema: phoneCodeSchema }, async (request) =>
    sandbox.issuePhoneCode(request.body),
  )

  app.post<{ Body: LoginCodesRequest }>(
    '/login-codes',
    { schema: loginCodesSchema, bodyLimit: BULK_BODY_LIMIT },
    async (request) => ({ codes: sandbox.issueLoginCodes(request.body) }),
  )

  app.post<{ Body: PhoneCodesRequest }>(
    '/phone-codes',
    { schema: phoneCodesSchema, bodyLimit: BULK_BODY_LIMIT },
    async (request) => ({ codes: sandbox.issuePhoneCodes(request.body) }),
  )

  app.post<{ Body: FaultRequest }>('/faults', { schema: faultSchema }, async (request) =>
    sandbox.addFault(request.body),
  )

  app.delete('/faults', { schema: acknowledgedSchema }, async () => {
    sandbox.clearFaults()
    return { ok: true }
  })

  app.get('/stats', { schema: statsSchema }, async () => sandbox.stats())

  app.post('/reset', { schema: acknowledgedSchema }, async () => {
    sandbox.reset()
    return { ok: true }
  })

  app.post<{ Body: { advanceMs: number } }>('/clock', { schema: clockSchema }, async (request) =>
    sandbox.advanceClock(request.body.advanceMs),
  )

  app.post<{ Body: { appId: string } }>('/revoke-tokens', { schema: revokeTokensSchema }, async (request) =>
    sandbox.revokeTokens(request.body.appId),
  )

  app.post<{ Body: TemplateRequest }>('/templates', { schema: templateSchema }, async (request) =>
    sandbox.declareTemplate(request.body),
  )

  app.post<{ Body: PagesRequest }>('/pages', { schema: pagesSchema }, async (request) =>
    sandbox.declarePages(request.body),
  )

  app.post<{ Body: SubscriptionRequest }>(
    '/subscriptions',
    { schema: grantSubscriptionsSchema },
    async (request) => sandbox.grantSubscriptions(request.body),
  )

  app.post<{ Body: SubscriptionsRequest }>(
    '/subscriptions/batch',
    { schema: grantSubscriptionsInBulkSchema, bodyLimit: BULK_BODY_LIMIT },
    async (request) => sandbox.grantSubscriptionsInBulk(request.body),
  )

  app.get<{ Querystring: { appId: string; openid: string } }>(
    '/subscriptions',
    { schema: unusedSubscriptionsSchema },
    async (request) => sandbox.unusedSubscriptions(request.query.appId, request.query.openid),
  )

  app.get<{ Querystring: { touser?: string } }>('/messages', { schema: messagesSchema }, async (request) =>
    sandbox.sentMessages(request.query.touser),
  )
}
