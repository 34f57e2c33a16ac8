import { ApiError } from '@yuyue/contracts'
import { describe, expect, it } from 'vitest'
import { describeError } from '.'

describe('what the dashboard says of a failed request', () => {
  it('gives the request id of a failure on the server side, so the operator can find it in the log', () => {
    const failure = new ApiError('INTERNAL', '服务器内部错误', 500, 'req-42')
    expect(describeError(failure, 'zh')).toBe('服务器内部错误（请求编号 req-42）')
    expect(describeError(failure, 'en')).toMatch(/ \(request req-42\)$/)
  })

  it("keeps the API's more specific words for the admin's own mistakes, without an id", () => {
    const overlap = new ApiError('SLOT_OVERLAP', '与 12月8日 09:00 的时段重叠', 409, 'req-7')
    expect(describeError(overlap, 'zh')).toBe('与 12月8日 09:00 的时段重叠')
  })

  it('has no id to give when no answer came', () => {
    expect(describeError(new ApiError('NETWORK_ERROR', '无法连接服务器', 0), 'zh')).toBe(
      '无法连接服务器，请检查网络',
    )
  })
})
