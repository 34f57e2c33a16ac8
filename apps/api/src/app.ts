import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import type { DestinationStream } from 'pino'
import type { Config, TrustedProxies } from './config'
import { redactError, redactUrl } from './lib/redact'
import authPlugin from './plugins/app/auth'
import bootstrapAdmin from './plugins/app/bootstrapAdmin'
import deliveriesPlugin from './plugins/app/deliveries'
import domainPlugin from './plugins/app/domain'
import databasePlugin from './plugins/external/database'
import errorHandler, { sendError } from './plugins/external/errorHandler'
import openapi from './plugins/external/openapi'
import redisPlugin from './plugins/external/redis'
import security, { SECURITY_HEADERS } from './plugins/external/security'
import uploads from './plugins/external/uploads'
import { acceptEmptyJsonBodies, installValidators } from './plugins/external/validation'
import adminAuditRoutes from './routes/api/admin/audit'
import adminAuthRoutes from './routes/api/admin/auth'
import adminBookingRoutes from './routes/api/admin/bookings'
import adminSettingsRoutes from './routes/api/admin/settings'
import adminSlotRoutes from './routes/api/admin/slots'
import adminStaffRoutes from './routes/api/admin/staff'
import adminUserRoutes from './routes/api/admin/users'
import authRoutes from './routes/api/auth'
import bookingRoutes from './routes/api/bookings'
import configRoutes from './routes/api/config'
import meRoutes from './routes/api/me'
import slotRoutes from './routes/api/slots'
import staffRoutes from './routes/api/staff'
import healthRoutes from './routes/health'
import './types'

export interface BuildOptions {
  /** where log lines go (stdout by default); tests read them to check what is never logged */
  logStream?: DestinationStream
  /** the clock, for tests that need "the slot has started" */
  now?: () => Date
}

const REQUEST_ID = /^[\w.-]{1,64}$/
// the load balancer's probes keep their own answers while the instance drains
const PROBES = new Set(['/healthz', '/readyz'])

/**
 * Where the instance is in its shutdown: `draining` (readyz says 503 so the load balancer takes it
 * out, requests are still served) then `closing` (no new connections; in-flight requests finish,
 * a request arriving on a kept-alive connection is refused with 503 SERVICE_UNAVAILABLE).
 */
export interface Lifecycle {
  draining: boolean
  closing: boolean
}

/** Fastify's own reading of a hop count (its types leave the number out): the nearest N hops. */
function trustedProxies(trusted: TrustedProxies) {
  return typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted
}

/** Builds the whole API for a configuration; `server.ts` listens, tests call `inject`. */
export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      stream: options.logStream,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
        err: redactError,
      },
    },
    trustProxy: trustedProxies(config.TRUST_PROXY),
    bodyLimit: 2 * 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true },
    // our own 503 (the SPEC's envelope, Retry-After) instead of Fastify's while closing
    return503OnClosing: false,
    // A path the router cannot read (bad %-encoding, a parameter over 100 characters) is refused
    // before any hook or error handler of ours: give it their headers and the SPEC's envelope.
    frameworkErrors: (error, request, reply) => {
      reply.headers(SECURITY_HEADERS).header('x-request-id', request.id)
      sendError(request, reply, 'VALIDATION_FAILED', error.message)
    },
  })

  app.decorate('config', config)
  app.decorate('now', options.now ?? (() => new Date()))
  const lifecycle: Lifecycle = { draining: false, closing: false }
  app.decorate('lifecycle', lifecycle)
  // the first hook of every request, so every answer carries the id, errors of later hooks included
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    if (lifecycle.closing && !PROBES.has(request.url)) {
      reply.header('connection', 'close')
      sendError(request, reply, 'SERVICE_UNAVAILABLE', '本实例正在停止,请重试')
      return
    }
    done()
  })
  // a request answered while closing ends its kept-alive connection, or close() would wait for it
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.closing) reply.header('connection', 'close')
    done(null, payload)
  })
  if (config.NODE_ENV === 'production' && !config.PUBLIC_BASE_URL) {
    app.log.warn('PUBLIC_BASE_URL is not set: avatar URLs will use the Host of each request')
  }
  if (config.usingDevJwtSecret) {
    app.log.warn('JWT_SECRET is not set: using the development-only secret (never deploy like this)')
  }

  installValidators(app)
  acceptEmptyJsonBodies(app)
  // infrastructure
  await app.register(errorHandler)
  await app.register(databasePlugin)
  await app.register(redisPlugin)
  await app.register(security)
  await app.register(openapi)
  // domain services (the guard first: it refuses routes that do not declare their auth)
  await app.register(authPlugin)
  await app.register(domainPlugin)
  await app.register(deliveriesPlugin)
  await app.register(uploads)
  await app.register(bootstrapAdmin)
  // routes
  await app.register(healthRoutes)
  await app.register(configRoutes, { prefix: '/api/config' })
  await app.register(authRoutes, { prefix: '/api/auth' })
  await app.register(meRoutes, { prefix: '/api/me' })
  await app.register(slotRoutes, { prefix: '/api/slots' })
  await app.register(bookingRoutes, { prefix: '/api/bookings' })
  await app.register(staffRoutes, { prefix: '/api/staff' })
  for (const routes of [
    adminAuthRoutes,
    adminUserRoutes,
    adminStaffRoutes,
    adminSlotRoutes,
    adminAuditRoutes,
    adminBookingRoutes,
    adminSettingsRoutes,
  ]) {
    await app.register(routes, { prefix: '/api/admin' })
  }
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>

/**
 * Shuts the instance down without failing a request: readyz answers 503 at once, requests are
 * served for `delayMs` more (the load balancer's time to notice), then the server stops taking
 * connections and closes once the requests in flight have been answered.
 */
export async function drain(app: App, delayMs: number): Promise<void> {
  app.lifecycle.draining = true
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
  app.lifecycle.closing = true
  await app.close()
}
