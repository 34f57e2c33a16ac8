import { type AdminStats, dayRange, localDate } from '@yuyue/contracts'
import { headlineCounts } from '../../db/queries/overview'
import { deliveryCounts } from '../../db/queries/subscribeDeliveries'
import type { Deps as DomainDeps } from '../deps'

/** The dashboard's headline counts; today's bookings are the active ones in today's slots. */
export async function overview(deps: Pick<DomainDeps, 'db' | 'now' | 'timeZone'>): Promise<AdminStats> {
  const date = localDate(deps.now(), deps.timeZone)
  const [{ bookings, ...counts }, messages] = await Promise.all([
    headlineCounts(deps.db, dayRange(date, deps.timeZone)),
    deliveryCounts(deps.db),
  ])
  // a claimed message is still on its way: pending, as the booking shows it
  const { pending, sending, sent, failed, unknown } = messages
  return {
    ...counts,
    todayBookings: bookings,
    date,
    messages: { pending: pending + sending, sent, failed, unknown },
  }
}
