import type { IncomingMessage, ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

const HELMET_OPTIONS: HelmetOptions = {
  // the OpenAPI UI at /docs needs its inline scripts; the JSON API has no documents to protect
  contentSecurityPolicy: false,
  // avatars are shown by the dashboard and the H5 build, which run on other origins
  crossOriginResourcePolicy: { policy: 'cross-origin' },
}

/**
 * The headers helmet sets for `options`, read once by running its middleware against a recorder.
 * With no Content-Security-Policy (so no nonces) they are the same on every answer; helmet stays
 * the source of their names and values. (@fastify/helmet rebuilt helmet's middleware stack on
 * each request, with the other per-request hooks about 10 µs of CPU.)
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error
  })
  return headers
}

/** The security headers of every answer (helmet's, computed once). */
export const SECURITY_HEADERS = helmetHeaders(HELMET_OPTIONS)

export default fp(
  async function security(app: FastifyInstance) {
    // before the guard's hook, so the answers it refuses (401, 403) carry them too
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS)
      done()
    })
    await app.register(cors, {
      origin: app.config.CORS_ORIGINS,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    })
  },
  { name: 'security' },
)
