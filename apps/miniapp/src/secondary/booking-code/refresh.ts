/** How long before its expiry a 预约码 is replaced: a scan in the last seconds still succeeds. */
export const REFRESH_MARGIN_MS = 15_000
/** At least this often, whatever the phone's clock says. */
export const REFRESH_MAX_MS = 60_000
const REFRESH_MIN_MS = 5_000

/**
 * When to fetch the next code. `expiresAt` is the server's instant and the phone's clock may be
 * off, so the wait is kept between 5 and 60 seconds: a wrong clock costs a few extra requests,
 * never a code shown after it expired by more than the server's 90 s minus 60.
 */
export function refreshDelay(expiresAt: string, now: number): number {
  const left = new Date(expiresAt).getTime() - now - REFRESH_MARGIN_MS
  if (Number.isNaN(left)) return REFRESH_MIN_MS
  return Math.min(REFRESH_MAX_MS, Math.max(REFRESH_MIN_MS, left))
}
