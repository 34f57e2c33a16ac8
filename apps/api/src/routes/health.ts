import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { HealthResponse, ReadinessResponse } from '@yuyue/contracts'
import type { FastifyInstance } from 'fastify'
import { pingDatabase } from '../db/client'
import { RETRY_AFTER_SECONDS } from '../lib/dependencyFailure'

const CHECK_TIMEOUT_MS = 2000

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ])
}

export default async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()

  r.get(
    '/healthz',
    { config: { auth: 'public' }, schema: { tags: ['health'], response: { 200: HealthResponse } } },
    async () => ({ status: 'ok' as const }),
  )

  r.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: { tags: ['health'], response: { 200: ReadinessResponse, 503: ReadinessResponse } },
    },
    async (_request, reply) => {
      const checks: Record<string, 'ok' | 'fail'> = {}
      const probes: [string, () => Promise<unknown>][] = [['database', () => pingDatabase(app.db)]]
      const redis = app.redis
      if (redis) probes.push(['redis', () => redis.ping()])
      await Promise.all(
        probes.map(async ([name, probe]) => {
          checks[name] = await withTimeout(probe()).then(
            () => 'ok' as const,
            () => 'fail' as const,
          )
        }),
      )
      if (app.lifecycle.draining) checks.draining = 'fail'
      const ready = Object.values(checks).every((c) => c === 'ok')
      if (!ready) reply.header('retry-after', String(RETRY_AFTER_SECONDS))
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks })
    },
  )
}
