/**
 * The API reads slot dates and times in its APP_TIMEZONE and answers UTC instants; the dashboard
 * shows them in that same zone, whatever the admin's computer is set to, so "09:00" created is
 * "09:00" listed. The zone comes from GET /api/config (VenueClockGate) before any page renders.
 */

import { localClock, localDate, localDateTime, venueTimeZone as zone } from '@yuyue/contracts'

export { setVenueTimeZone } from '@yuyue/contracts'

/** `2025-06-01 09:30` */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return ''
  return localDateTime(instant, zone())
}

/** `09:30` */
export function formatTime(instant: string): string {
  return localClock(instant, zone())
}

/** `2025-06-01`: the calendar day of an instant in the venue's zone */
export function localDateOf(instant: Date | string): string {
  return localDate(instant, zone())
}
