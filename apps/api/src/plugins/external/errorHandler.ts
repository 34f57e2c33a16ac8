import type { ErrorCode, ErrorEnvelope } from '@yuyue/contracts'
import { errorCatalog } from '@yuyue/contracts'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../errors'
import { isDependencyFailure, RETRY_AFTER_SECONDS } from '../../lib/dependencyFailure'

type Details = { path: string; message: string }[]

const PAYLOAD_TOO_LARGE_CODES = new Set([
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_REQ_FILE_TOO_LARGE',
  'FST_PARTS_LIMIT',
  'FST_FILES_LIMIT',
  'FST_FIELDS_LIMIT',
])

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  message?: string,
  details?: Details,
) {
  const body: ErrorEnvelope = {
    error: { code, message: message ?? errorCatalog[code].message, requestId: String(request.id) },
  }
  if (details?.length) body.error.details = details
  if (code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', String(RETRY_AFTER_SECONDS))
  return reply.code(errorCatalog[code].status).send(body)
}

function validationDetails(error: FastifyError): Details {
  const part = error.validationContext ?? 'body'
  return (error.validation ?? []).slice(0, 20).map((issue) => {
    const missing = (issue.params as { missingProperty?: string } | undefined)?.missingProperty
    const path = `${part}${issue.instancePath.replaceAll('/', '.')}${missing ? `.${missing}` : ''}`
    return { path, message: issue.message ?? 'invalid' }
  })
}

/**
 * One error handler for the whole API: typed errors become the SPEC's envelope with their code,
 * Fastify's own 4xx become the nearest code, and anything else is a 500 whose details stay in the
 * log (the client sees INTERNAL and the request id to quote). The database or Redis being
 * unreachable is not a bug: 503 SERVICE_UNAVAILABLE with Retry-After (SPEC §8).
 */
export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError)
        return sendError(request, reply, error.code, error.message, error.details)
      if (error.validation) {
        return sendError(request, reply, 'VALIDATION_FAILED', undefined, validationDetails(error))
      }
      if (PAYLOAD_TOO_LARGE_CODES.has(error.code) || error.statusCode === 413) {
        return sendError(request, reply, 'PAYLOAD_TOO_LARGE')
      }
      const status = error.statusCode ?? 500
      if (status === 404) return sendError(request, reply, 'NOT_FOUND')
      if (status === 429) return sendError(request, reply, 'RATE_LIMITED')
      if (status >= 400 && status < 500) {
        // malformed JSON, wrong content type, empty body…: the request is at fault, say what
        return sendError(request, reply, 'VALIDATION_FAILED', error.message)
      }
      if (isDependencyFailure(error)) {
        // an operator's problem (a node down, a failover), not a bug: logged without the stack
        request.log.warn({ err: { message: error.message, code: error.code } }, 'dependency unavailable')
        return sendError(request, reply, 'SERVICE_UNAVAILABLE')
      }
      request.log.error({ err: error }, 'unhandled error')
      return sendError(request, reply, 'INTERNAL')
    })

    app.setNotFoundHandler((request, reply) =>
      sendError(request, reply, 'NOT_FOUND', `没有这个接口: ${request.method}`),
    )
  },
  { name: 'error-handler' },
)
