import { describe, expect, it } from 'vitest'
import { ApiError, apiErrorOf, isApiError, isErrorEnvelope } from '../src'

describe('client errors', () => {
  it('reads the API error envelope, with its request id and details', () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: '请求参数不正确',
        requestId: 'r-1',
        details: [{ path: 'body.code', message: 'must be string' }],
      },
    }
    expect(isErrorEnvelope(body)).toBe(true)
    const error = apiErrorOf(400, body, 'unused')
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '请求参数不正确',
      status: 400,
      requestId: 'r-1',
      details: body.error.details,
    })
    expect(isApiError(error, 'VALIDATION_FAILED')).toBe(true)
    expect(isApiError(error, 'NOT_FOUND')).toBe(false)
  })

  it('calls anything else a BAD_RESPONSE with the message given', () => {
    for (const body of [undefined, null, '<html>502</html>', {}, { error: 'x' }, { error: { code: 'X' } }]) {
      expect(isErrorEnvelope(body)).toBe(false)
      expect(apiErrorOf(502, body, '服务器错误（HTTP 502）')).toMatchObject({
        code: 'BAD_RESPONSE',
        message: '服务器错误（HTTP 502）',
        status: 502,
      })
    }
  })

  it('is an Error, and tells ApiErrors from other errors', () => {
    const error = new ApiError('NETWORK_ERROR', '无法连接服务器', 0)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('ApiError')
    expect(isApiError(error)).toBe(true)
    expect(isApiError(new Error('x'))).toBe(false)
    expect(isApiError({ code: 'NETWORK_ERROR' })).toBe(false)
  })
})
