import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise'
import { retryingTransaction } from '../client'

/**
 * The booking transaction, sent as one batch: the place is taken by a conditional UPDATE of the
 * slot's counter (which locks the slot's row), the booking row is inserted only if a place was
 * taken, and the transaction commits, all inside the database. The slot's row lock is therefore
 * held only while the server runs the batch, not across the round trips a statement-by-statement
 * transaction makes through a busy event loop: under a booking storm every booker of the slot
 * queues on that lock, so its holding time bounds the storm's throughput.
 *
 * The text is fixed and every value is a placeholder; it runs on the batch pool only, the one
 * pool whose connections accept several statements. Kept by measurement: alternated storms, the
 * first wave's p50 median ~760 -> ~390 ms (docs/performance.md); issue 21 revisits it for Galera.
 */
const TAKE_PLACE = `START TRANSACTION;
UPDATE slots SET booked = booked + 1
  WHERE id = ? AND deleted_at IS NULL AND booked < capacity AND starts_at > ?;
SET @yuyue_place_taken = ROW_COUNT();
INSERT INTO bookings (slot_id, user_id, created_at)
  SELECT ?, ?, ? FROM DUAL WHERE @yuyue_place_taken = 1;
COMMIT`
/** Where the INSERT's answer sits among the batch's five. */
const INSERT_RESULT = 3

/**
 * Takes a place in the slot for the person: the new booking's id, or null when no place could be
 * taken (the slot full, started, removed or missing: the caller finds out which). A second active
 * booking of the same person and slot fails on the unique key (errno 1062) with nothing written.
 * Deadlocks are retried as whole transactions, like `inTransaction`'s.
 */
export function takePlace(
  batchPool: Pool,
  booking: { slotId: number; userId: number; at: Date },
): Promise<number | null> {
  const { slotId, userId, at } = booking
  return retryingTransaction(async () => {
    const connection = await batchPool.getConnection()
    let reusable = true
    try {
      const [results] = await connection.query<ResultSetHeader[]>(TAKE_PLACE, [
        slotId,
        at,
        slotId,
        userId,
        at,
      ])
      const inserted = results[INSERT_RESULT]!
      return inserted.affectedRows === 1 ? inserted.insertId : null
    } catch (error) {
      // a failed statement ends the batch with the transaction still open (a duplicate booking
      // leaves the counter raised in it): roll it back before the connection serves anyone else
      reusable = await rollBack(connection, error)
      throw error
    } finally {
      if (reusable) connection.release()
      else connection.destroy()
    }
  })
}

/** Rolls back what the failed batch left open; false when the connection cannot be trusted. */
async function rollBack(connection: PoolConnection, error: unknown): Promise<boolean> {
  // a fatal error closed the connection: the server rolls the transaction back by itself
  if ((error as { fatal?: boolean }).fatal) return false
  try {
    await connection.query('ROLLBACK')
    return true
  } catch {
    return false
  }
}

/** What the domain books with: `takePlace` bound to the batch pool, so no pool reaches the domain. */
export type PlaceTaker = (booking: { slotId: number; userId: number; at: Date }) => Promise<number | null>

export function placeTaker(batchPool: Pool): PlaceTaker {
  return (booking) => takePlace(batchPool, booking)
}
