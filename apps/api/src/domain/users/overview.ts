import { type AdminStats, dayRange, localDate } from '@yuyue/contracts'
import type { Database } from '../../db/client'
import { headlineCounts } from '../../db/queries/overview'

/** The dashboard's headline counts; today's bookings are the active ones in today's slots. */
export async function overview(deps: {
  db: Database
  now: () => Date
  timeZone: string
}): Promise<AdminStats> {
  const date = localDate(deps.now(), deps.timeZone)
  const { bookings, ...counts } = await headlineCounts(deps.db, dayRange(date, deps.timeZone))
  return { ...counts, todayBookings: bookings, date }
}
