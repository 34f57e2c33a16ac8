import type { ErrorCode } from './errors'
import type { ErrorEnvelope } from './schemas/common'

/**
 * Codes a client gives a failure that never reached the API's error handler: no answer at all
 * (`NETWORK_ERROR`, status 0), or an answer that is not the API's (`BAD_RESPONSE`: a proxy's error
 * page, a body cut short).
 */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE'

/** What the clients (dashboard, mini-program) throw for a call that failed. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** the answer's HTTP status; 0 when none came */
    readonly status: number,
    readonly requestId?: string,
    readonly details?: ErrorEnvelope['error']['details'],
  ) {
    super(message)
  }
}

/** The SPEC's error envelope (`{error: {code, message, requestId}}`), as a client receives it. */
export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error
  return typeof error?.code === 'string' && typeof error.message === 'string'
}

/** The ApiError of an error answer: its envelope, else `BAD_RESPONSE` with `message`. */
export function apiErrorOf(status: number, body: unknown, message: string): ApiError {
  if (!isErrorEnvelope(body)) return new ApiError('BAD_RESPONSE', message, status)
  const { code, message: said, requestId, details } = body.error
  return new ApiError(code, said, status, requestId, details)
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code)
}
