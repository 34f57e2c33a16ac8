import { sql } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { personDays } from '../schema'

/**
 * Writes the person's row for the day (`person_days`, the day as `YYYY-MM-DD` in APP_TIMEZONE),
 * first thing in a booking transaction under a per-day limit: two bookings by one person on one
 * day then conflict on every topology (the second waits on one server, one is aborted and retried
 * on multi-primary Galera), so the count read after it includes the other's booking. It bumps a
 * counter: an upsert that changes nothing replicates nothing, and conflicts with nothing.
 */
export async function touchPersonDay(tx: Database | Tx, userId: number, day: string): Promise<void> {
  await tx
    .insert(personDays)
    .values({ userId, day })
    .onDuplicateKeyUpdate({ set: { changes: sql`${personDays.changes} + 1` } })
}
