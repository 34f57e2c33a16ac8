import type { Pool } from 'mysql2/promise'

/** What the clients were told succeeded, to be found in the database at the end. */
export interface Answered {
  /** booking ids answered 200 */
  bookings: number[]
  /** user ids answered by a 200 login */
  logins: number[]
  /** user id → mobile answered by a 200 phone binding */
  phones: { userId: number; mobile: string }[]
  /** mobiles of staff imports answered 200 */
  staff: string[]
}

async function count(pool: Pool, sql: string, values: unknown[] = []): Promise<number> {
  const [rows] = await pool.query(sql, values)
  return Number((rows as { n: number }[])[0]?.n ?? 0)
}

async function found(pool: Pool, sql: string, ids: unknown[]): Promise<number> {
  let total = 0
  for (let i = 0; i < ids.length; i += 1000) total += await count(pool, sql, [ids.slice(i, i + 1000)])
  return total
}

/**
 * Loss: successes answered minus rows stored, per kind (must all be 0: a success the database
 * does not hold is a lie to the client).
 */
export async function measureLoss(pool: Pool, answered: Answered) {
  const bookings =
    answered.bookings.length -
    (await found(pool, "SELECT COUNT(*) AS n FROM bookings WHERE status <> 'cancelled' AND id IN (?)", [
      ...new Set(answered.bookings),
    ]))
  const logins =
    new Set(answered.logins).size -
    (await found(pool, 'SELECT COUNT(*) AS n FROM users WHERE id IN (?)', [...new Set(answered.logins)]))
  let phones = 0
  for (const { userId, mobile } of answered.phones) {
    phones +=
      1 - (await count(pool, 'SELECT COUNT(*) AS n FROM users WHERE id = ? AND mobile = ?', [userId, mobile]))
  }
  const staff =
    new Set(answered.staff).size -
    (await found(pool, 'SELECT COUNT(*) AS n FROM staff_directory WHERE mobile IN (?)', [
      ...new Set(answered.staff),
    ]))
  return { bookings, logins, phones, staff, total: bookings + logins + phones + staff }
}

/** SPEC §8's invariants, each as the number of rows breaking it (all must be 0). */
export async function checkInvariants(pool: Pool) {
  return {
    // capacity exact: never more active bookings than places, and the counter equal to them
    capacity: await count(
      pool,
      `SELECT COUNT(*) AS n FROM (
         SELECT s.id FROM slots s LEFT JOIN bookings b ON b.slot_id = s.id AND b.status <> 'cancelled'
         GROUP BY s.id, s.capacity, s.booked HAVING COUNT(b.id) > s.capacity OR COUNT(b.id) <> s.booked
       ) broken`,
    ),
    // one person per openid (and per mini-program)
    onePersonPerOpenid: await count(
      pool,
      `SELECT COUNT(*) AS n FROM (
         SELECT app_id, openid FROM wechat_identities GROUP BY app_id, openid HAVING COUNT(DISTINCT user_id) > 1
       ) broken`,
    ),
    // one active booking per person and slot
    oneBookingPerPersonAndSlot: await count(
      pool,
      `SELECT COUNT(*) AS n FROM (
         SELECT slot_id, user_id FROM bookings WHERE status <> 'cancelled' GROUP BY slot_id, user_id HAVING COUNT(*) > 1
       ) broken`,
    ),
    // the staff rule: a person whose number is in the directory is staff, and only they are
    staffRule: await count(
      pool,
      `SELECT COUNT(*) AS n FROM users u
       WHERE u.is_deleted = 0 AND (u.role = 'staff') <> EXISTS (
         SELECT 1 FROM staff_directory d WHERE d.country_code = u.country_code AND d.mobile = u.mobile)`,
    ),
    // no two live slots overlap
    overlappingSlots: await count(
      pool,
      `SELECT COUNT(*) AS n FROM slots a JOIN slots b
         ON a.id < b.id AND a.deleted_at IS NULL AND b.deleted_at IS NULL
        AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at`,
    ),
  }
}

export type Invariants = Awaited<ReturnType<typeof checkInvariants>>
