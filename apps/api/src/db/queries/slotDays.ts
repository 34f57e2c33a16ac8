import { sql } from 'drizzle-orm'
import type { Tx } from '../client'
import { slotDays } from '../schema'

/**
 * Writes the days' rows (`slot_days`, days as `YYYY-MM-DD` in APP_TIMEZONE), first thing in a
 * transaction that creates slots on them: a slot never crosses its day, so two creations that
 * could overlap share a day and conflict on its row on every topology (the second waits on one
 * server, one is aborted and retried on multi-primary Galera, and then sees the other's slots).
 */
export async function touchSlotDays(tx: Tx, days: string[]): Promise<void> {
  if (days.length === 0) return
  await tx
    .insert(slotDays)
    .values([...new Set(days)].sort().map((day) => ({ day })))
    .onDuplicateKeyUpdate({ set: { changes: sql`${slotDays.changes} + 1` } })
}
