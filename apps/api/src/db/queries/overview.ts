import { and, count, eq, gte, isNull, lt, sql } from 'drizzle-orm'
import type { Database } from '../client'
import { bookings, slots, staffDirectory, users } from '../schema'

/** The dashboard's headline counts; the bookings counted are the active ones in live slots of `day`. */
export async function headlineCounts(db: Database, day: { start: Date; end: Date }) {
  const [[people], [directory], [bookingsOfDay]] = await Promise.all([
    db
      .select({
        users: count(),
        staff: sql<number>`COALESCE(SUM(${users.role} = 'staff'), 0)`,
        disabled: sql<number>`COALESCE(SUM(${users.isDeleted}), 0)`,
      })
      .from(users),
    db.select({ value: count() }).from(staffDirectory),
    db
      .select({ value: count() })
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .where(
        and(
          isNull(slots.deletedAt),
          gte(slots.startsAt, day.start),
          lt(slots.startsAt, day.end),
          sql`${bookings.activeFlag} = 1`,
        ),
      ),
  ])
  return {
    users: people?.users ?? 0,
    staff: Number(people?.staff ?? 0),
    disabledUsers: Number(people?.disabled ?? 0),
    staffDirectory: directory?.value ?? 0,
    bookings: bookingsOfDay?.value ?? 0,
  }
}
