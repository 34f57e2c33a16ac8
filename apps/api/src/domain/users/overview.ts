import { type AdminStats, dayRange, localDate } from '@yuyue/contracts'
import { headlineCounts } from '../../db/queries/overview'
import type { Deps as DomainDeps } from '../deps'

/** The dashboard's headline counts; today's bookings are the active ones in today's slots. */
export async function overview(deps: Pick<DomainDeps, 'db' | 'now' | 'timeZone'>): Promise<AdminStats> {
  const date = localDate(deps.now(), deps.timeZone)
  const { bookings, ...counts } = await headlineCounts(deps.db, dayRange(date, deps.timeZone))
  return { ...counts, todayBookings: bookings, date }
}
