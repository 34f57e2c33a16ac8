import { type ErrorCode, errorCatalog } from '@yuyue/contracts'

/**
 * An error the client is meant to see: its code and status come from the contracts' catalogue,
 * so a route can only answer codes that exist there. Anything else thrown becomes 500 INTERNAL.
 */
export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly statusCode: number
  readonly details?: { path: string; message: string }[]

  constructor(code: ErrorCode, message?: string, details?: { path: string; message: string }[]) {
    super(message ?? errorCatalog[code].message)
    this.code = code
    this.statusCode = errorCatalog[code].status
    this.details = details
  }
}
