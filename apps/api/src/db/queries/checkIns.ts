import { eq } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { bookings, slots, users } from '../schema'

/** A booking with its slot and the person holding it, read without locks (the code page, a dry run). */
export async function bookingWithSlotAndPerson(db: Database, bookingId: number) {
  const [found] = await db
    .select({
      booking: bookings,
      slot: { id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, title: slots.title },
      person: { nickname: users.nickname, mobile: users.mobile },
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .innerJoin(users, eq(users.id, bookings.userId))
    .where(eq(bookings.id, bookingId))
    .limit(1)
  return found
}

/** A check-in taken back: the booking is `booked` again, as if nobody had scanned it. */
export async function undoCheckInRow(tx: Tx, bookingId: number): Promise<void> {
  await tx
    .update(bookings)
    .set({ status: 'booked', checkedInAt: null, checkedInBy: null })
    .where(eq(bookings.id, bookingId))
}
