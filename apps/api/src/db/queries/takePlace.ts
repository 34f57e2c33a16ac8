import type { ResultSetHeader } from 'mysql2'
import { type Database, drizzleOn, inConnectionTransaction } from '../client'

/**
 * How many times a booking's transaction is run when the database aborts it (an InnoDB deadlock,
 * or a Galera certification failure when bookers of one slot write through different nodes):
 * enough for a storm on one slot spread over three primaries, bounded so a client gets its 503.
 */
const BOOKING_ATTEMPTS = 10

/**
 * Takes a place in the slot for the person: the new booking's id, or null when no place could be
 * taken (the slot full, started, removed or missing: the caller finds out which). The place is
 * taken by a conditional UPDATE of the slot's counter, the booking row inserted only if it was,
 * one statement at a time in one transaction: a statement the server refuses or a transaction it
 * aborts surfaces as an error, and an answer is given only after COMMIT succeeded. (A batch of
 * statements in one round trip could go on outside a transaction Galera had aborted, and commit
 * the counter alone: SPEC §8.) The counter's row is what two bookings of the slot both write, so
 * on every topology one waits or is aborted and retried, and the retry sees the other's place.
 * A second active booking of the same person and slot fails on the unique key (errno 1062) with
 * nothing written. `first` runs at the start of every attempt, inside the transaction: a rule
 * that must rest on a conflicting write (the per-day limit) writes and decides there, and refuses
 * by throwing.
 */
export function takePlace(
  db: Database,
  booking: { slotId: number; userId: number; at: Date },
  first?: (tx: Database) => Promise<void>,
): Promise<number | null> {
  const { slotId, userId, at } = booking
  // on mysql2 itself, server-prepared: the slot's row stays locked from the UPDATE to COMMIT, and
  // every request of a storm queued on the event loop meanwhile lengthens that. READ COMMITTED: an
  // UPDATE whose WHERE refused the row lets go of its lock at once; REPEATABLE READ kept it to the
  // COMMIT, one more trip through the busy event loop for each refusal queued on the row
  return inConnectionTransaction(
    db,
    async (connection) => {
      if (first) await first(drizzleOn(connection))
      const [taken] = await connection.execute<ResultSetHeader>(TAKE_PLACE, [slotId, at])
      if (taken.affectedRows !== 1) return null
      const [inserted] = await connection.execute<ResultSetHeader>(INSERT_BOOKING, [slotId, userId, at])
      return inserted.insertId
    },
    { attempts: BOOKING_ATTEMPTS, isolationLevel: 'read committed' },
  )
}

const TAKE_PLACE =
  'UPDATE slots SET booked = booked + 1 WHERE id = ? AND deleted_at IS NULL AND booked < capacity AND starts_at > ?'
const INSERT_BOOKING = 'INSERT INTO bookings (slot_id, user_id, created_at) VALUES (?, ?, ?)'

/** What the domain books with: `takePlace` bound to the database, so the domain calls one function. */
export type PlaceTaker = (
  booking: { slotId: number; userId: number; at: Date },
  first?: (tx: Database) => Promise<void>,
) => Promise<number | null>

export function placeTaker(db: Database): PlaceTaker {
  return (booking, first) => takePlace(db, booking, first)
}
