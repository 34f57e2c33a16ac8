import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../errors'

/**
 * The body a login route reads at most: its fields are a code, or a name and a password, far
 * below this. A larger one is refused (413) before it is parsed.
 */
export const LOGIN_BODY_LIMIT = 4 * 1024

/** Counts one attempt against each key; the first key over its limit answers 429 RATE_LIMITED. */
export async function limitRate(
  app: FastifyInstance,
  reply: FastifyReply,
  limit: number,
  keys: string[],
  windowMs?: number,
): Promise<void> {
  for (const key of keys) {
    const verdict = await app.rateLimiter.hit(key, limit, windowMs)
    if (!verdict.allowed) {
      reply.header('retry-after', String(verdict.retryAfter))
      throw new AppError('RATE_LIMITED')
    }
  }
}

/**
 * A route's per-IP limit as an `onRequest` hook: it runs before the body is read or parsed, so a
 * client over its limit costs no parsing.
 */
export function limitPerIp(app: FastifyInstance, name: string, limit: () => number) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    await limitRate(app, reply, limit(), [`${name}:ip:${request.ip}`])
  }
}
