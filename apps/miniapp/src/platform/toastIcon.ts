import type { ToastIcon } from './types'

/**
 * WeChat's showToast shows at most 7 Chinese characters of the title beside a 'success' or
 * 'error' icon and cuts the rest; without an icon it shows two lines. Counted in characters
 * (not width), so a title with Latin letters or digits errs on the side of keeping all of it.
 */
export const TOAST_ICON_TITLE_LIMIT = 7

/** The icon a toast can carry without WeChat truncating its title. */
export function toastIconFor(title: string, wanted: ToastIcon = 'none'): ToastIcon {
  if (wanted === 'none') return 'none'
  return Array.from(title).length <= TOAST_ICON_TITLE_LIMIT ? wanted : 'none'
}
