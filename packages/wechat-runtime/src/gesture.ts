import { fail, type WxError } from './callbacks'

/**
 * Some APIs open their UI only from the person's own tap, called synchronously inside the tap
 * handler: not after an `await`, a timer or a request's callback (wx.requestSubscribeMessage,
 * wx.addPhoneCalendar, wx.openSetting). The host marks the span of a tap's dispatch; an API
 * called outside it fails the way WeChat fails it.
 */
export class Gesture {
  private depth = 0

  /** Runs `dispatch` (the tap's handlers, synchronously) as the person's gesture. */
  during<T>(dispatch: () => T): T {
    this.depth++
    try {
      return dispatch()
    } finally {
      this.depth--
    }
  }

  get active(): boolean {
    return this.depth > 0
  }

  /** null inside a tap, else WeChat's failure for `api`. */
  refusal(api: string): WxError | null {
    return this.active ? null : fail(api, 'can only be invoked by user TAP gesture.')
  }
}
