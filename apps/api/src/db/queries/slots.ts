import { and, asc, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { bookings, type SlotRow, slots } from '../schema'

export interface TimeRange {
  start: Date
  end: Date
}

const live = isNull(slots.deletedAt)

/** The condition for live (not withdrawn) slots starting in [start, end). */
function liveSlotsIn(range: TimeRange): SQL | undefined {
  return and(live, gte(slots.startsAt, range.start), lt(slots.startsAt, range.end))
}

/** The live slots starting in [start, end), in start order. */
export function liveSlotsStartingIn(db: Database, range: TimeRange): Promise<SlotRow[]> {
  return db.select().from(slots).where(liveSlotsIn(range)).orderBy(asc(slots.startsAt))
}

/** The live slots starting in [start, end), each with the person's active booking of it. */
export function liveSlotsWithBookingOf(db: Database, range: TimeRange, userId: number) {
  return db
    .select({ slot: slots, myBookingId: bookings.id })
    .from(slots)
    .leftJoin(
      bookings,
      and(eq(bookings.slotId, slots.id), eq(bookings.userId, userId), sql`${bookings.activeFlag} = 1`),
    )
    .where(liveSlotsIn(range))
    .orderBy(asc(slots.startsAt))
}

/**
 * Every slot, withdrawn or not, starting in [start, end), locked with its index range: two
 * transactions creating overlapping slots cannot both pass their overlap check.
 */
export function lockSlotsStartingIn(tx: Tx, range: TimeRange) {
  return tx
    .select({ id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, deletedAt: slots.deletedAt })
    .from(slots)
    .where(and(gte(slots.startsAt, range.start), lt(slots.startsAt, range.end)))
    .for('update')
}

/** Inserts the slots and answers the live slots now starting at their start times. */
export async function insertSlots(
  tx: Tx,
  rows: { startsAt: Date; endsAt: Date; title: string; capacity: number; createdAt: Date }[],
): Promise<SlotRow[]> {
  await tx.insert(slots).values(rows)
  return tx
    .select()
    .from(slots)
    .where(
      and(
        live,
        inArray(
          slots.startsAt,
          rows.map((r) => r.startsAt),
        ),
      ),
    )
    .orderBy(asc(slots.startsAt))
}

/** A live slot, locked. */
export async function lockLiveSlot(tx: Tx, slotId: number): Promise<SlotRow | undefined> {
  const [slot] = await tx
    .select()
    .from(slots)
    .where(and(eq(slots.id, slotId), live))
    .for('update')
  return slot
}

/** Whether the slot has a booking that holds a place (`booked`, or `checked_in` until it ends). */
export async function hasActiveBooking(tx: Tx, slotId: number): Promise<boolean> {
  const [active] = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(eq(bookings.slotId, slotId), inArray(bookings.status, ['booked', 'checked_in'])))
    .limit(1)
  return active !== undefined
}

/** Withdraws a slot: kept (soft delete) so past bookings keep their slot. */
export async function withdrawSlot(tx: Tx, slotId: number, at: Date): Promise<void> {
  await tx.update(slots).set({ deletedAt: at }).where(eq(slots.id, slotId))
}

/**
 * Changes a live slot's title and capacity in one conditional UPDATE: the capacity only if it
 * still holds every booked place. It conflicts with a booking's `booked = booked + 1` on the same
 * row, so the check holds on a multi-primary cluster too. False when no live slot matched.
 */
export async function updateLiveSlot(
  tx: Tx,
  slotId: number,
  change: { title?: string; capacity?: number },
): Promise<boolean> {
  const [header] = await tx
    .update(slots)
    .set(change)
    .where(
      and(
        eq(slots.id, slotId),
        live,
        change.capacity === undefined ? undefined : sql`${slots.booked} <= ${change.capacity}`,
      ),
    )
  // the pool connects with FOUND_ROWS: a matched row counts even when nothing changed
  return header.affectedRows === 1
}

/** A slot as it stands, withdrawn or not. */
export async function slotById(db: Database | Tx, slotId: number): Promise<SlotRow | undefined> {
  const [slot] = await db.select().from(slots).where(eq(slots.id, slotId))
  return slot
}

/**
 * Cancels the slot's `booked` bookings for the admin (checked-in ones happened and stay) and
 * gives their places back; answers the people whose bookings were cancelled.
 */
export async function cancelBookedOfSlot(
  tx: Tx,
  slotId: number,
  cancellation: { at: Date; reason: string },
): Promise<{ bookingId: number; userId: number }[]> {
  const held = await tx
    .select({ bookingId: bookings.id, userId: bookings.userId })
    .from(bookings)
    .where(and(eq(bookings.slotId, slotId), eq(bookings.status, 'booked')))
    .for('update')
  if (held.length === 0) return held
  await tx
    .update(bookings)
    .set({
      status: 'cancelled',
      cancelledAt: cancellation.at,
      cancelledBy: 'admin',
      cancelReason: cancellation.reason,
    })
    .where(
      inArray(
        bookings.id,
        held.map((h) => h.bookingId),
      ),
    )
  await tx
    .update(slots)
    .set({ booked: sql`GREATEST(${slots.booked} - ${held.length}, 0)` })
    .where(eq(slots.id, slotId))
  return held
}
