import type { Mobile } from '@yuyue/contracts'
import type { ResultSetHeader, RowDataPacket } from 'mysql2'
import type { Connection } from '../client'
import { phoneNumbersUpserts } from './phoneNumbers'

/*
 * The statements of a phone binding, in the transaction `inConnectionTransaction` holds: sent by
 * mysql2 itself, as drizzle's building of them cost twice the CPU of the rest of the binding's
 * statements' work (docs/performance.md). The number's row comes first; every writer of a
 * number's holder or staff entry writes it first: with that row held (one server) or certified
 * (Galera), a plain read of the number's standing is the latest, and the writes that follow are
 * conditional, so nothing needs a locking read.
 */

/**
 * The number's `phone_numbers` row, written (as `touchPhoneNumbers` does for the staff import):
 * two transactions deciding about one number conflict here on every topology. Answers whether the
 * row is new: no binding, import or removal of the number has committed since rows were kept.
 */
export async function touchPhoneNumber(connection: Connection, mobile: Mobile): Promise<boolean> {
  const [statement] = phoneNumbersUpserts([mobile])
  const [result] = await connection.query<ResultSetHeader>(statement!)
  // an upsert answers 1 for a row inserted, 2 for a row updated
  return result.affectedRows === 1
}

/**
 * A number whose row is new, onto the person, if its role (staff or not) is the one they have as
 * the guard read it (`role`) and they are still enabled with their token current: a binding that
 * changes nobody's status. Answers whether it was written. A number bound before its row existed
 * (before migration 0003) fails on the number's unique key instead (`MysqlErrno.duplicateEntry`).
 * The staff read is plain, as in `numberStanding`: under READ COMMITTED an UPDATE's subquery takes
 * no lock.
 */
export async function bindKeepingStatus(
  connection: Connection,
  person: { id: number; tokenVersion: number; role: 'user' | 'staff' },
  mobile: Mobile,
  at: Date,
): Promise<boolean> {
  const [result] = await connection.query<ResultSetHeader>(
    `UPDATE users SET country_code = ?, mobile = ?, updated_at = ?
    WHERE id = ? AND is_deleted = FALSE AND token_version = ? AND role = ?
      AND role = IF(EXISTS (SELECT 1 FROM staff_directory WHERE country_code = ? AND mobile = ?), 'staff', 'user')`,
    [
      mobile.countryCode,
      mobile.number,
      at,
      person.id,
      person.tokenVersion,
      person.role,
      mobile.countryCode,
      mobile.number,
    ],
  )
  return result.affectedRows === 1
}

/**
 * Who else holds the number, and whether it is in the staff directory: one read, no locks.
 * A holder who moves to another number meanwhile does not write this number's row; the unbind
 * below is conditional on the number for that reason.
 */
export async function numberStanding(
  connection: Connection,
  mobile: Mobile,
  callerId: number,
): Promise<{ holder: number | null; staff: boolean }> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT
      (SELECT id FROM users WHERE country_code = ? AND mobile = ? AND id <> ?) AS holder,
      EXISTS (SELECT 1 FROM staff_directory WHERE country_code = ? AND mobile = ?) AS staff`,
    [mobile.countryCode, mobile.number, callerId, mobile.countryCode, mobile.number],
  )
  const row = rows[0]
  return { holder: row?.holder ?? null, staff: Number(row?.staff) === 1 }
}

/**
 * The person loses the number, and a staff role with it, if they still hold it; answers whether
 * they did. Through the primary key only: through the number's index it would lock that index's
 * entry before the row, the other way round from the holder's own binding of another number,
 * and the two would deadlock.
 */
export async function unbindNumber(
  connection: Connection,
  userId: number,
  mobile: Mobile,
  at: Date,
): Promise<boolean> {
  const [result] = await connection.query<ResultSetHeader>(
    `UPDATE users FORCE INDEX (PRIMARY)
    SET country_code = NULL, mobile = NULL, role = 'user', updated_at = ?
    WHERE id = ? AND country_code = ? AND mobile = ?`,
    [at, userId, mobile.countryCode, mobile.number],
  )
  return result.affectedRows === 1
}

/**
 * The number and the role it gives, onto the person, if they are still enabled and their token
 * still current (`tokenVersion`): the write itself checks what a locking read of the row did.
 * Answers whether it was written.
 */
export async function bindNumber(
  connection: Connection,
  person: { id: number; tokenVersion: number },
  mobile: Mobile,
  role: 'user' | 'staff',
  at: Date,
): Promise<boolean> {
  const [result] = await connection.query<ResultSetHeader>(
    `UPDATE users SET country_code = ?, mobile = ?, role = ?, updated_at = ?
    WHERE id = ? AND is_deleted = FALSE AND token_version = ?`,
    [mobile.countryCode, mobile.number, role, at, person.id, person.tokenVersion],
  )
  return result.affectedRows === 1
}

/** Whether the person is disabled (the binding's refusal, when its write found them changed). */
export async function isDisabled(connection: Connection, userId: number): Promise<boolean> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT 1 FROM users WHERE id = ? AND is_deleted = TRUE LIMIT 1',
    [userId],
  )
  return rows.length > 0
}
