import type { ErrorCode } from '@yuyue/contracts'

/** A code the API never sends: the request got no answer at all. */
export type ClientErrorCode = 'NETWORK'

/** An error answer of the API (its envelope), or a request that never got one. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly status: number,
    readonly requestId?: string,
  ) {
    super(message)
  }
}

function isEnvelope(
  body: unknown,
): body is { error: { code: ErrorCode; message: string; requestId?: string } } {
  if (!body || typeof body !== 'object' || !('error' in body)) return false
  const error = (body as { error: unknown }).error
  return !!error && typeof error === 'object' && 'code' in error && 'message' in error
}

/** Reads the SPEC's error envelope; anything else (a proxy's 502 page…) becomes INTERNAL. */
export function toApiError(status: number, body: unknown): ApiError {
  if (isEnvelope(body)) return new ApiError(body.error.code, body.error.message, status, body.error.requestId)
  if (status === 401) return new ApiError('UNAUTHORIZED', '请先登录', status)
  return new ApiError('INTERNAL', `服务暂时不可用（${status}）`, status)
}

export function isApiError(error: unknown, code?: ApiError['code']): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code)
}

/** What to tell a person about a failure, in a toast. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return '操作失败，请稍后再试'
}
