import { dayRange, localDate } from '@yuyue/contracts'
import type { Database } from '../../db/client'
import { activeBookingsOfPersonIn } from '../../db/queries/bookings'
import { touchPersonDay } from '../../db/queries/personDays'
import { AppError } from '../../errors'

export function dailyLimitReached(max: number): AppError {
  return new AppError('DAILY_LIMIT_REACHED', `每人每天最多预约 ${max} 个时段`)
}

/**
 * The per-day limit as the booking transaction's first step (`takePlace`'s `first`): the person's
 * row for the slot's day is written, then their active bookings that day are counted. Two
 * bookings by one person on one day both write the row, so the second waits (one server) or is
 * aborted and retried (multi-primary Galera) and counts the first. No limit, nothing written.
 */
export function dailyLimitStep(
  deps: { timeZone: string },
  userId: number,
  startsAt: Date,
  max: number,
): ((tx: Database) => Promise<void>) | undefined {
  if (max <= 0) return undefined
  const day = localDate(startsAt, deps.timeZone)
  const range = dayRange(day, deps.timeZone)
  return async (tx) => {
    await touchPersonDay(tx, userId, day)
    if ((await activeBookingsOfPersonIn(tx, userId, range)) >= max) throw dailyLimitReached(max)
  }
}
