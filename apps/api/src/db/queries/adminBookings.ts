import type { BookingStatus } from '@yuyue/contracts'
import { and, asc, count, eq, gt, gte, inArray, lt, or, type SQL } from 'drizzle-orm'
import type { Database } from '../client'
import { bookings, slots, users } from '../schema'

/** The dashboard's booking filters, read by the domain from the request. */
export interface BookingFilters {
  /** slots starting in [start, end) */
  range?: { start: Date; end: Date }
  slotId?: number
  userId?: number
  status?: BookingStatus
  /** the people a search matched; an empty list matches nothing */
  userIds?: number[]
}

const row = {
  booking: bookings,
  slot: { id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, title: slots.title },
  user: { id: users.id, nickname: users.nickname, mobile: users.mobile, countryCode: users.countryCode },
}

function conditionsOf(filters: BookingFilters): SQL | undefined {
  return and(
    filters.range ? gte(slots.startsAt, filters.range.start) : undefined,
    filters.range ? lt(slots.startsAt, filters.range.end) : undefined,
    filters.slotId === undefined ? undefined : eq(bookings.slotId, filters.slotId),
    filters.userId === undefined ? undefined : eq(bookings.userId, filters.userId),
    filters.status === undefined ? undefined : eq(bookings.status, filters.status),
    filters.userIds === undefined ? undefined : inArray(bookings.userId, filters.userIds),
  )
}

/** A page of bookings with their slot and person, by the slot's start then booking order. */
export async function adminBookingsPage(
  db: Database,
  filters: BookingFilters,
  page: { limit: number; offset: number },
) {
  if (filters.userIds?.length === 0) return { rows: [], total: 0 }
  const where = conditionsOf(filters)
  const [rows, [total]] = await Promise.all([
    db
      .select(row)
      .from(bookings)
      .innerJoin(slots, eq(slots.id, bookings.slotId))
      .innerJoin(users, eq(users.id, bookings.userId))
      .where(where)
      .orderBy(asc(slots.startsAt), asc(bookings.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ value: count() }).from(bookings).innerJoin(slots, eq(slots.id, bookings.slotId)).where(where),
  ])
  return { rows, total: total?.value ?? 0 }
}

/** One booking with its slot and person. */
export async function adminBookingById(db: Database, bookingId: number) {
  const [found] = await db
    .select(row)
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(eq(bookings.id, bookingId))
  return found
}

export type AdminBookingRow = Awaited<ReturnType<typeof adminBookingsPage>>['rows'][number]

const SLOTS_PER_READ = 200

/**
 * Every booking of the slots starting in [start, end), in slot order then booking order, read in
 * pages: slots by keyset on (starts_at, id), each slot's bookings by keyset on id. Only one page
 * is held at a time, so an export of any size runs in constant memory.
 */
export async function* bookingsInRange(
  db: Database,
  range: { start: Date; end: Date },
  pageSize: number,
): AsyncGenerator<AdminBookingRow[]> {
  let after: { startsAt: Date; id: number } | null = null
  for (;;) {
    const slotPage: { id: number; startsAt: Date }[] = await db
      .select({ id: slots.id, startsAt: slots.startsAt })
      .from(slots)
      .where(
        and(
          lt(slots.startsAt, range.end),
          after === null
            ? gte(slots.startsAt, range.start)
            : or(
                gt(slots.startsAt, after.startsAt),
                and(eq(slots.startsAt, after.startsAt), gt(slots.id, after.id)),
              ),
        ),
      )
      .orderBy(asc(slots.startsAt), asc(slots.id))
      .limit(SLOTS_PER_READ)
    if (slotPage.length === 0) return
    for (const slot of slotPage) {
      let lastBooking = 0
      for (;;) {
        const page = await db
          .select(row)
          .from(bookings)
          .innerJoin(slots, eq(slots.id, bookings.slotId))
          .innerJoin(users, eq(users.id, bookings.userId))
          .where(and(eq(bookings.slotId, slot.id), gt(bookings.id, lastBooking)))
          .orderBy(asc(bookings.id))
          .limit(pageSize)
        if (page.length > 0) yield page
        if (page.length < pageSize) break
        lastBooking = page.at(-1)!.booking.id
      }
    }
    after = slotPage.at(-1)!
  }
}
