import type { Mobile } from '@yuyue/contracts'
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../client'
import { staffDirectory, users } from '../schema'

/*
 * The statements of a phone binding after its `phone_numbers` row (`touchPhoneNumbers`), which
 * every writer of a number's holder or staff entry writes first: with that row held (one server)
 * or certified (Galera), a plain read of the number's standing is the latest, and the writes that
 * follow are conditional, so nothing needs a locking read.
 */

/**
 * Who else holds the number, and whether it is in the staff directory: one read, no locks.
 * A holder who moves to another number meanwhile does not write this number's row; the unbind
 * below is conditional on the number for that reason.
 */
export async function numberStanding(
  tx: Tx,
  mobile: Mobile,
  callerId: number,
): Promise<{ holder: number | null; staff: boolean }> {
  const [rows] = (await tx.execute(sql`
    SELECT
      (SELECT ${users.id} FROM ${users}
        WHERE ${users.countryCode} = ${mobile.countryCode} AND ${users.mobile} = ${mobile.number}
          AND ${users.id} <> ${callerId}) AS holder,
      EXISTS (SELECT 1 FROM ${staffDirectory}
        WHERE ${staffDirectory.countryCode} = ${mobile.countryCode}
          AND ${staffDirectory.mobile} = ${mobile.number}) AS staff`)) as unknown as [
    { holder: number | null; staff: number }[],
  ]
  const row = rows[0]
  return { holder: row?.holder ?? null, staff: Number(row?.staff) === 1 }
}

/**
 * The person loses the number, and a staff role with it, if they still hold it; answers whether
 * they did. Through the primary key only: through the number's index it would lock that index's
 * entry before the row, the other way round from the holder's own binding of another number,
 * and the two would deadlock.
 */
export async function unbindNumber(tx: Tx, userId: number, mobile: Mobile, at: Date): Promise<boolean> {
  const [result] = (await tx.execute(sql`
    UPDATE ${users} FORCE INDEX (PRIMARY)
    SET ${users.countryCode} = NULL, ${users.mobile} = NULL, ${users.role} = 'user', ${users.updatedAt} = ${at}
    WHERE ${users.id} = ${userId} AND ${users.countryCode} = ${mobile.countryCode} AND ${users.mobile} = ${mobile.number}`)) as unknown as [
    { affectedRows: number },
  ]
  return result.affectedRows === 1
}

/**
 * The number and the role it gives, onto the person, if they are still enabled and their token
 * still current (`tokenVersion`): the write itself checks what a locking read of the row did.
 * Answers whether it was written.
 */
export async function bindNumber(
  tx: Tx,
  person: { id: number; tokenVersion: number },
  mobile: Mobile,
  role: 'user' | 'staff',
  at: Date,
): Promise<boolean> {
  const [result] = await tx
    .update(users)
    .set({ countryCode: mobile.countryCode, mobile: mobile.number, role, updatedAt: at })
    .where(
      and(eq(users.id, person.id), eq(users.isDeleted, false), eq(users.tokenVersion, person.tokenVersion)),
    )
  return result.affectedRows === 1
}

/** Whether the person is disabled (the binding's refusal, when its write found them changed). */
export async function isDisabled(tx: Tx, userId: number): Promise<boolean> {
  const [row] = await tx
    .select({ isDeleted: users.isDeleted })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.isDeleted, true)))
    .limit(1)
  return row !== undefined
}
