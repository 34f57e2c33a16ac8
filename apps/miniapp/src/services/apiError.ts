import { ApiError, apiErrorOf, isApiError, isErrorEnvelope } from '@yuyue/contracts'

export { ApiError, isApiError } from '@yuyue/contracts'

/** Reads the SPEC's error envelope; anything else (a proxy's 502 page…) is BAD_RESPONSE. */
export function toApiError(status: number, body: unknown): ApiError {
  // a 401 without the envelope: the session is over all the same
  if (status === 401 && !isErrorEnvelope(body)) return new ApiError('UNAUTHORIZED', '请先登录', status)
  return apiErrorOf(status, body, `服务暂时不可用（${status}）`)
}

/**
 * A failure the person has been told of already, by the API client itself: USER_DISABLED (the
 * blocked page) and NETWORK_ERROR (the retry dialog, then its toast). Others deserve a toast.
 */
export function alreadyShown(error: unknown): boolean {
  return isApiError(error, 'USER_DISABLED') || isApiError(error, 'NETWORK_ERROR')
}

/** What to tell a person about a failure, in a toast. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return '操作失败，请稍后再试'
}
