import { type AdminStats, dayRange, localDate } from '@yuyue/contracts'
import { and, count, eq, gte, isNull, lt, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { bookings, slots, staffDirectory, users } from '../../db/schema'

/** The dashboard's headline counts; today's bookings are the active ones in today's slots. */
export async function overview(deps: {
  db: Database
  now: () => Date
  timeZone: string
}): Promise<AdminStats> {
  const date = localDate(deps.now(), deps.timeZone)
  const { start, end } = dayRange(date, deps.timeZone)
  const [[people], [directory], [today]] = await Promise.all([
    deps.db
      .select({
        users: count(),
        staff: sql<number>`COALESCE(SUM(${users.role} = 'staff'), 0)`,
        disabled: sql<number>`COALESCE(SUM(${users.isDeleted}), 0)`,
      })
      .from(users),
    deps.db.select({ value: count() }).from(staffDirectory),
    deps.db
      .select({ value: count() })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .where(
        and(
          isNull(slots.deletedAt),
          gte(slots.startsAt, start),
          lt(slots.startsAt, end),
          sql`${bookings.activeFlag} = 1`,
        ),
      ),
  ])
  return {
    users: people?.users ?? 0,
    staff: Number(people?.staff ?? 0),
    disabledUsers: Number(people?.disabled ?? 0),
    staffDirectory: directory?.value ?? 0,
    todayBookings: today?.value ?? 0,
    date,
  }
}
