/**
 * WeChat's asynchronous APIs take `{success, fail, complete}` and answer on a later turn, never
 * synchronously; a failure is `{errMsg: "<api>:fail <reason>"}`. Taro wraps them in promises.
 */
export interface Callbacks<T> {
  success?: (result: T) => void
  fail?: (error: WxError) => void
  complete?: (outcome: T | WxError) => void
}

export interface WxError {
  errMsg: string
  errno?: number
  errCode?: number
}

export function fail(api: string, reason: string, extra: Omit<WxError, 'errMsg'> = {}): WxError {
  return { errMsg: `${api}:fail ${reason}`, ...extra }
}

/** Runs `work` on a later turn and reports through the callbacks as WeChat does. */
export function answer<T extends object>(
  api: string,
  options: Callbacks<T> | undefined,
  work: () => Promise<T> | T,
): void {
  setTimeout(() => {
    Promise.resolve()
      .then(work)
      .then(
        (result) => {
          const ok = { errMsg: `${api}:ok`, ...result } as T
          options?.success?.(ok)
          options?.complete?.(ok)
        },
        (error: unknown) => {
          const failure = isWxError(error)
            ? error
            : fail(api, error instanceof Error ? error.message : String(error))
          options?.fail?.(failure)
          options?.complete?.(failure)
        },
      )
  }, 0)
}

export function isWxError(value: unknown): value is WxError {
  return typeof value === 'object' && value !== null && typeof (value as WxError).errMsg === 'string'
}
