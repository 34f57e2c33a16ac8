/**
 * The API reads slot dates and times in its APP_TIMEZONE and answers UTC instants; the dashboard
 * shows them in that same zone, whatever the admin's computer is set to, so "09:00" created is
 * "09:00" listed. Set VITE_APP_TIMEZONE at build time when the API runs with another zone.
 */
export const APP_TIMEZONE: string = import.meta.env.VITE_APP_TIMEZONE || 'Asia/Shanghai'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options)
  let found = formatters.get(key)
  if (!found) {
    // sv-SE writes ISO-like "2025-06-01 09:00", the same in both dashboard languages
    found = new Intl.DateTimeFormat('sv-SE', { timeZone: APP_TIMEZONE, hourCycle: 'h23', ...options })
    formatters.set(key, found)
  }
  return found
}

/** `2025-06-01 09:30` */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return ''
  return formatter({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(instant))
}

/** `09:30` */
export function formatTime(instant: string): string {
  return formatter({ hour: '2-digit', minute: '2-digit' }).format(new Date(instant))
}

/** `2025-06-01`: the calendar day of an instant in APP_TIMEZONE */
export function localDateOf(instant: Date | string): string {
  return formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant))
}
