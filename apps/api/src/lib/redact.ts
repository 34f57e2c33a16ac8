import { maskMobile } from '@yuyue/contracts'

const SECRET_QUERY_KEYS = new Set(['code', 'js_code', 'token', 'access_token', 'secret', 'q', 'password'])

/** Any run of 7+ digits may be a phone number: keep only enough to recognise it. */
function maskDigits(text: string): string {
  return text.replace(/\d{7,}/g, (digits) => maskMobile(digits))
}

/** A URL as it may appear in logs: phone numbers masked, secret query values removed. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2)
  if (query === undefined) return maskDigits(path)
  const params = new URLSearchParams(query)
  for (const key of [...params.keys()]) {
    if (SECRET_QUERY_KEYS.has(key)) params.set(key, '[redacted]')
  }
  return `${maskDigits(path)}?${maskDigits(params.toString())}`
}

/**
 * Errors as they may appear in logs. Driver errors carry the SQL and its parameters (phone
 * numbers, session keys): those are dropped, and digit runs in the message are masked.
 */
export function redactError(error: unknown): {
  type: string
  message: string
  stack: string
  [key: string]: unknown
} {
  if (!(error instanceof Error)) return { type: typeof error, message: maskDigits(String(error)), stack: '' }
  const message = error.message.replace(/params:.*$/s, '')
  const out: { type: string; message: string; stack: string; [key: string]: unknown } = {
    type: error.name,
    message: maskDigits(message),
    stack: error.stack
      ? maskDigits(
          error.stack
            .split('\n')
            .filter((line) => line.trimStart().startsWith('at '))
            .slice(0, 8)
            .join('\n'),
        )
      : '',
  }
  const { code, errno, statusCode } = error as { code?: unknown; errno?: unknown; statusCode?: unknown }
  if (code !== undefined) out.code = code
  if (errno !== undefined) out.errno = errno
  if (statusCode !== undefined) out.statusCode = statusCode
  if (error.cause) out.cause = redactError(error.cause)
  return out
}
