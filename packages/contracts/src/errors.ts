/**
 * Every error code the API answers with, its HTTP status and a default message (zh-CN) a client
 * may show as-is. Clients switch on `code`, never on the message.
 */
export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: '请求参数不正确' },
  CHECK_IN_CODE_INVALID: { status: 400, message: '预约码无效或已过期,请让对方刷新后再扫' },
  UNKNOWN_APP: { status: 400, message: '未知的小程序' },
  WECHAT_CODE_INVALID: { status: 400, message: '微信登录凭证无效或已过期,请重试' },
  UNAUTHORIZED: { status: 401, message: '请先登录' },
  BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  FORBIDDEN: { status: 403, message: '没有权限执行此操作' },
  USER_DISABLED: { status: 403, message: '用户已被禁用,无法登录' },
  PHONE_REQUIRED: { status: 403, message: '请先绑定手机号' },
  WECHAT_USER_BLOCKED: { status: 403, message: '微信判定当前账号存在风险,暂时无法登录' },
  NOT_FOUND: { status: 404, message: '资源不存在' },
  SLOT_FULL: { status: 409, message: '该时段已约满' },
  ALREADY_BOOKED: { status: 409, message: '您已预约该时段' },
  SLOT_CLOSED: { status: 409, message: '该时段已开始,无法预约或取消' },
  SLOT_HAS_BOOKINGS: { status: 409, message: '该时段仍有有效预约,无法删除' },
  SLOT_OVERLAP: { status: 409, message: '与已有时段重叠' },
  BOOKING_NOT_ACTIVE: { status: 409, message: '该预约已取消或已签到' },
  CAPACITY_BELOW_BOOKED: { status: 409, message: '容量不能少于已预约人数' },
  BOOKING_NOT_OPEN: { status: 409, message: '该时段尚未开放预约' },
  DAILY_LIMIT_REACHED: { status: 409, message: '当天的预约数已达上限' },
  CANCEL_TOO_LATE: { status: 409, message: '距开始时间太近,无法取消' },
  CHECK_IN_NOT_OPEN: { status: 409, message: '不在签到时间内' },
  UNDO_TOO_LATE: { status: 409, message: '签到已超过 10 分钟,无法撤销' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '上传内容过大' },
  RATE_LIMITED: { status: 429, message: '请求过于频繁,请稍后再试' },
  INTERNAL: { status: 500, message: '服务器内部错误' },
  WECHAT_UNAVAILABLE: { status: 502, message: '微信服务暂时不可用,请稍后再试' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用,请稍后再试' },
  WECHAT_TIMEOUT: { status: 504, message: '微信服务响应超时,请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof errorCatalog

export const errorCodes = Object.keys(errorCatalog) as ErrorCode[]

export function errorStatus(code: ErrorCode): number {
  return errorCatalog[code].status
}

/** Reasons a row of a staff import is refused (`invalid[].reason`). */
export const staffImportInvalidReasons = [
  'INVALID_MOBILE',
  'DUPLICATE_IN_REQUEST',
  'NAME_TOO_LONG',
  'NOTE_TOO_LONG',
] as const
export type StaffImportInvalidReason = (typeof staffImportInvalidReasons)[number]
