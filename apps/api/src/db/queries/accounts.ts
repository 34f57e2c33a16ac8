import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { type Database, inTransaction, type Tx } from '../client'
import { avatars, bookings, slots, type UserRow, users, wechatIdentities } from '../schema'
import { deleteNameBigrams, replaceNameBigrams } from './nameBigrams'

/** The person's nickname from now on, with its pieces for the search (`name_bigrams`), together. */
export async function setNickname(db: Database, userId: number, nickname: string, now: Date): Promise<void> {
  await inTransaction(db, async (tx) => {
    // the name before, locked: its pieces that go are deleted by it
    const [before] = await tx
      .select({ nickname: users.nickname })
      .from(users)
      .where(eq(users.id, userId))
      .for('update')
    if (!before) return
    await tx.update(users).set({ nickname, updatedAt: now }).where(eq(users.id, userId))
    await replaceNameBigrams(tx, 'user', [{ id: userId, before: before.nickname, after: nickname }])
  })
}

export interface ErasedAccount {
  identitiesRemoved: number
  bookingsCancelled: number
}

/**
 * The rows behind `DELETE /api/me` (SPEC §4), inside the caller's transaction with the person
 * locked: bookings of slots not yet started are cancelled (their places given back), the WeChat
 * identities removed (so the next login is a new person), the phone, unionid, nickname and avatar
 * erased and the token version bumped (every token issued before is dead). Past bookings stay,
 * pointing at a row that no longer says who it was.
 */
export async function eraseAccountRows(
  tx: Tx,
  user: Pick<UserRow, 'id' | 'tokenVersion' | 'nickname'>,
  now: Date,
): Promise<ErasedAccount> {
  const upcoming = await tx
    .select({ id: bookings.id, slotId: bookings.slotId })
    .from(bookings)
    .innerJoin(slots, eq(slots.id, bookings.slotId))
    .where(and(eq(bookings.userId, user.id), eq(bookings.status, 'booked'), gt(slots.startsAt, now)))
    .for('update')
  if (upcoming.length > 0) {
    await tx
      .update(bookings)
      .set({ status: 'cancelled', cancelledAt: now, cancelledBy: 'user' })
      .where(
        inArray(
          bookings.id,
          upcoming.map((b) => b.id),
        ),
      )
    // one place back per cancelled booking (a person holds at most one per slot)
    await tx
      .update(slots)
      .set({ booked: sql`${slots.booked} - 1` })
      .where(
        and(
          inArray(
            slots.id,
            upcoming.map((b) => b.slotId),
          ),
          gt(slots.booked, 0),
        ),
      )
  }
  const [removed] = await tx.delete(wechatIdentities).where(eq(wechatIdentities.userId, user.id))
  // the picture itself, not only the link to it: its old URL then answers 404
  await tx.delete(avatars).where(eq(avatars.userId, user.id))
  await tx
    .update(users)
    .set({
      role: 'user',
      nickname: null,
      avatarUrl: null,
      countryCode: null,
      mobile: null,
      unionid: null,
      tokenVersion: user.tokenVersion + 1,
      updatedAt: now,
    })
    .where(eq(users.id, user.id))
  // an erased nickname is not found by any part of it either
  await deleteNameBigrams(tx, 'user', [{ id: user.id, name: user.nickname }])
  return { identitiesRemoved: removed.affectedRows, bookingsCancelled: upcoming.length }
}
