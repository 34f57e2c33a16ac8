import { ErrorEnvelope } from '@yuyue/contracts'
import type { TSchema } from 'typebox'

/**
 * A route's responses: its success schema plus the error envelope for every 4xx and 5xx, so
 * Fastify serialises each answer from a schema and nothing unlisted can leak out.
 */
export function responses<T extends TSchema>(ok: T) {
  return { 200: ok, '4xx': ErrorEnvelope, '5xx': ErrorEnvelope } as const
}

export const miniappSecurity = [{ miniapp: [] }]
export const adminSecurity = [{ admin: [] }]
