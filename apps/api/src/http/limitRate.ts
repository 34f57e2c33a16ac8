import type { FastifyInstance, FastifyReply } from 'fastify'
import { AppError } from '../errors'

/** Counts one attempt against each key; the first key over its limit answers 429 RATE_LIMITED. */
export async function limitRate(
  app: FastifyInstance,
  reply: FastifyReply,
  limit: number,
  keys: string[],
): Promise<void> {
  for (const key of keys) {
    const verdict = await app.rateLimiter.hit(key, limit)
    if (!verdict.allowed) {
      reply.header('retry-after', String(verdict.retryAfter))
      throw new AppError('RATE_LIMITED')
    }
  }
}
