import { and, count, eq, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { bookings, type SubscribeDeliveryRow, slots, subscribeDeliveries, wechatIdentities } from '../schema'

type Kind = SubscribeDeliveryRow['kind']
type State = SubscribeDeliveryRow['state']
const d = subscribeDeliveries

/** A booking of this person with its slot's start, or undefined (another's, or none). */
export async function bookingOfPerson(db: Database, bookingId: number, userId: number) {
  const [found] = await db
    .select({
      booking: bookings,
      slot: { id: slots.id, startsAt: slots.startsAt, endsAt: slots.endsAt, title: slots.title },
    })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
  return found
}

/** The WeChat identity a request came from: whom a message it subscribed to goes to. */
export async function identityAddress(db: Database, identityId: number) {
  const [found] = await db
    .select({ appId: wechatIdentities.appId, openid: wechatIdentities.openid })
    .from(wechatIdentities)
    .where(eq(wechatIdentities.id, identityId))
  return found
}

export interface OwedMessage {
  bookingId: number
  kind: Kind
  templateId: string
  appId: string
  openid: string
  /** null: held until an admin cancels (a `cancelled` accept) */
  dueAt: Date | null
}

/**
 * Records messages owed while their booking is still `booked`; one of a kind per booking already
 * recorded stays as it was. The booking is read by the insert itself, with a shared lock: an
 * admin's cancel committing meanwhile either finds the row (and releases its notice) or makes the
 * insert find nothing, so no notice is held for a booking already cancelled.
 */
export async function recordOwedMessages(db: Database, owed: OwedMessage[]): Promise<void> {
  const columns = [d.bookingId, d.kind, d.templateId, d.appId, d.openid, d.dueAt].map((c) =>
    sql.identifier(c.name),
  )
  for (const m of owed) {
    await db.execute(sql`INSERT INTO ${d} (${sql.join(columns, sql`, `)})
      SELECT ${bookings.id}, ${m.kind}, ${m.templateId}, ${m.appId}, ${m.openid}, ${m.dueAt} FROM ${bookings}
      WHERE ${bookings.id} = ${m.bookingId} AND ${bookings.status} = 'booked'
      ON DUPLICATE KEY UPDATE ${sql.identifier(d.bookingId.name)} = ${sql.identifier(d.bookingId.name)}`)
  }
}

/** What became of each booking's reminder (bookings without one are absent). */
export async function reminderStatesOf(
  db: Database,
  bookingIds: number[],
): Promise<Map<number, { state: State; lastErrcode: number | null }>> {
  if (bookingIds.length === 0) return new Map()
  const rows = await db
    .select({ bookingId: d.bookingId, state: d.state, lastErrcode: d.lastErrcode })
    .from(d)
    .where(and(inArray(d.bookingId, bookingIds), eq(d.kind, 'reminder')))
  return new Map(rows.map((r) => [r.bookingId, { state: r.state, lastErrcode: r.lastErrcode }]))
}

/** Messages of these bookings not yet sent (of these kinds) will never be: `cancelled`. */
export async function cancelOwedMessages(
  tx: Tx | Database,
  bookingIds: number[],
  kinds: readonly Kind[],
  at: Date,
): Promise<void> {
  if (bookingIds.length === 0) return
  await tx
    .update(d)
    .set({ state: 'cancelled', settledAt: at })
    .where(and(inArray(d.bookingId, bookingIds), inArray(d.kind, [...kinds]), eq(d.state, 'pending')))
}

/** An admin cancelled these bookings: their held `cancelled` notices fall due now. */
export async function releaseCancelNotices(tx: Tx, bookingIds: number[], at: Date): Promise<void> {
  if (bookingIds.length === 0) return
  await tx
    .update(d)
    .set({ dueAt: at })
    .where(
      and(inArray(d.bookingId, bookingIds), eq(d.kind, 'cancelled'), eq(d.state, 'pending'), isNull(d.dueAt)),
    )
}

/**
 * Claims up to `limit` due messages for `claimId`: one conditional write (pending → sending), so
 * of two instances claiming at once (or two Galera primaries, whose certification aborts one
 * side) each row goes to one. A reminder is claimed only while its booking is `booked`, a notice
 * only once its booking is cancelled. Answers how many rows were claimed.
 */
export async function claimDueMessages(
  db: Database,
  claim: { claimId: string; now: Date; limit: number },
): Promise<number> {
  const [result] = await db
    .update(d)
    .set({
      state: 'sending',
      claimedBy: claim.claimId,
      claimedAt: claim.now,
      attempts: sql`${d.attempts} + 1`,
    })
    .where(
      and(
        eq(d.state, 'pending'),
        lte(d.dueAt, claim.now),
        sql`EXISTS (SELECT 1 FROM ${bookings} WHERE ${bookings.id} = ${d.bookingId}
          AND ${bookings.status} = IF(${d.kind} = 'reminder', 'booked', 'cancelled'))`,
      ),
    )
    .orderBy(d.dueAt, d.id)
    .limit(claim.limit)
  return result.affectedRows
}

/** The messages a claim took, with what they say about their booking. */
export function claimedMessages(db: Database, claimId: string) {
  return db
    .select({
      id: d.id,
      bookingId: d.bookingId,
      kind: d.kind,
      templateId: d.templateId,
      appId: d.appId,
      openid: d.openid,
      attempts: d.attempts,
      title: slots.title,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      reason: bookings.cancelReason,
    })
    .from(d)
    .innerJoin(bookings, eq(bookings.id, d.bookingId))
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(d.claimedBy, claimId), eq(d.state, 'sending')))
}

export type ClaimedMessage = Awaited<ReturnType<typeof claimedMessages>>[number]

/**
 * Records the outcome of sends of one claim. Only the claimer writes it, and also over `unknown`:
 * a send that outlived its lease and then got an answer is recorded as it really went.
 */
export async function settleMessages(
  db: Database,
  claimId: string,
  ids: number[],
  outcome: { state: 'sent' | 'failed' | 'unknown'; errcode?: number | null; at: Date },
): Promise<void> {
  if (ids.length === 0) return
  await db
    .update(d)
    .set({ state: outcome.state, lastErrcode: outcome.errcode ?? null, settledAt: outcome.at })
    .where(and(inArray(d.id, ids), eq(d.claimedBy, claimId), inArray(d.state, ['sending', 'unknown'])))
}

/**
 * Back to the queue for another try at `dueAt`, for a send WeChat answered busy (or that never
 * left): also from `unknown`, when the lease ran out before this answer could be recorded.
 */
export async function requeueMessages(
  db: Database,
  claimId: string,
  ids: number[],
  retry: { dueAt: Date; errcode: number | null },
): Promise<void> {
  if (ids.length === 0) return
  await db
    .update(d)
    .set({
      state: 'pending',
      dueAt: retry.dueAt,
      lastErrcode: retry.errcode,
      claimedBy: null,
      claimedAt: null,
    })
    .where(and(inArray(d.id, ids), eq(d.claimedBy, claimId), inArray(d.state, ['sending', 'unknown'])))
}

/**
 * Sends claimed before `claimedBefore` and still `sending`: their instance died or lost the
 * database mid-send. They may have reached WeChat, so they become `unknown`, never resent.
 */
export async function expireLeases(db: Database, claimedBefore: Date, at: Date): Promise<number> {
  const [result] = await db
    .update(d)
    .set({ state: 'unknown', settledAt: at })
    .where(and(eq(d.state, 'sending'), lt(d.claimedAt, claimedBefore)))
  return result.affectedRows
}

/**
 * Due reminders whose booking is no longer `booked` (cancelled or checked in by a path that did
 * not cancel them, or in a race with the cancel): never sent, so `cancelled` rather than left for
 * every claim to pass over.
 */
export async function dropStaleReminders(db: Database, now: Date): Promise<number> {
  const [result] = await db
    .update(d)
    .set({ state: 'cancelled', settledAt: now })
    .where(
      and(
        eq(d.state, 'pending'),
        eq(d.kind, 'reminder'),
        lte(d.dueAt, now),
        sql`NOT EXISTS (SELECT 1 FROM ${bookings} WHERE ${bookings.id} = ${d.bookingId}
          AND ${bookings.status} = 'booked')`,
      ),
    )
  return result.affectedRows
}

/** Messages by state, both kinds, all time, without notices still held: the dashboard's overview. */
export async function deliveryCounts(db: Database): Promise<Record<State, number>> {
  const rows = await db
    .select({ state: d.state, value: count() })
    .from(d)
    .where(isNotNull(d.dueAt))
    .groupBy(d.state)
  const counts: Record<State, number> = {
    pending: 0,
    sending: 0,
    sent: 0,
    failed: 0,
    unknown: 0,
    cancelled: 0,
  }
  for (const row of rows) counts[row.state] = row.value
  return counts
}

/**
 * An erased account (DELETE /api/me): its messages lose the openid they were addressed to, and
 * those not yet sent will never be.
 */
export async function forgetMessagesOfPerson(tx: Tx, userId: number, at: Date): Promise<void> {
  const ofPerson = sql`${d.bookingId} IN (SELECT ${bookings.id} FROM ${bookings} WHERE ${bookings.userId} = ${userId})`
  await tx
    .update(d)
    .set({ state: 'cancelled', settledAt: at })
    .where(and(eq(d.state, 'pending'), ofPerson))
  await tx.update(d).set({ openid: '' }).where(ofPerson)
}
