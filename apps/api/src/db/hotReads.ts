import { fillPlaceholders, getTableColumns, type InferSelectModel } from 'drizzle-orm'
import type { MySqlTable } from 'drizzle-orm/mysql-core'
import type { Pool } from 'mysql2/promise'
import { type SlotRow, slots, type UserRow, users } from './schema'

/**
 * The hottest reads, run on mysql2 directly: those behind every mini-program request (a login's
 * identity with its person, the guard's person by id, a booking's slot) and every dashboard
 * request (the guard's admin by id, the page of people). The columns and their decoding are the schema's own (`getTableColumns`, each
 * column's `mapFromDriverValue`), so nothing is declared twice. What is skipped is drizzle's
 * per-query machinery: a `typeCast` callback on every field (which takes mysql2 off its generated
 * row parser) and a generic mapper walking each column's path: about an eighth of a login's CPU,
 * and more for a page of twenty people (bench/README.md).
 */

interface RowShape<Row> {
  /** the select list: `alias`.`column`, in the table's order */
  columns: string
  /** how many values of a row the table's columns take */
  width: number
  /** the table's row from a `rowsAsArray` row, its columns starting at `offset` */
  decode(values: readonly unknown[], offset: number): Row
}

function rowShape<Table extends MySqlTable>(table: Table, alias: string): RowShape<InferSelectModel<Table>> {
  const columns = Object.entries(getTableColumns(table))
  return {
    columns: columns.map(([, column]) => `${alias}.\`${column.name}\``).join(', '),
    width: columns.length,
    decode(values, offset) {
      const row: Record<string, unknown> = {}
      for (let i = 0; i < columns.length; i++) {
        const [key, column] = columns[i]!
        const value = values[offset + i]
        row[key] = value === null ? null : column.mapFromDriverValue(value)
      }
      return row as InferSelectModel<Table>
    },
  }
}

/** Rows as arrays, times as the text the schema's decoders read, and no callback per field. */
async function selectRows(pool: Pool, sql: string, values: unknown[]): Promise<unknown[][]> {
  const [rows] = await pool.query({ sql, rowsAsArray: true, dateStrings: true }, values)
  return rows as unknown[][]
}

/** People's rows, in the order of the schema's columns (the order drizzle selects `users` in). */
export const userRow = rowShape(users, 'u')
const slotRow = rowShape(slots, 's')

/**
 * A select built by drizzle (from its query builder, with placeholders), run on mysql2 directly:
 * its text and parameters are taken once; the caller decodes the rows (`userRow`).
 */
export function directSelect(query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql, params } = query.toSQL()
  return (pool: Pool, values: Record<string, unknown>) =>
    selectRows(pool, sql, fillPlaceholders(params, values))
}

const USER_BY_ID = `SELECT ${userRow.columns} FROM users u WHERE u.id = ? LIMIT 1`
const IDENTITY_WITH_USER = `SELECT i.id, ${userRow.columns}
  FROM wechat_identities i JOIN users u ON u.id = i.user_id
  WHERE i.app_id = ? AND i.openid = ? LIMIT 1`
const ADMIN_BY_ID = 'SELECT a.id, a.username, a.token_version FROM admin_accounts a WHERE a.id = ? LIMIT 1'
const SLOT_WITH_BOOKING_OF = `SELECT ${slotRow.columns}, b.id
  FROM slots s LEFT JOIN bookings b ON b.slot_id = s.id AND b.user_id = ? AND b.active_flag = 1
  WHERE s.id = ? LIMIT 1`

/** The person with this id, as `db.select().from(users)` would read them. */
export async function userById(pool: Pool, id: number): Promise<UserRow | undefined> {
  const [row] = await selectRows(pool, USER_BY_ID, [id])
  return row && userRow.decode(row, 0)
}

/** The admin account with this id: what the dashboard's guard needs of it. */
export async function adminById(
  pool: Pool,
  id: number,
): Promise<{ id: number; username: string; tokenVersion: number } | undefined> {
  const [row] = await selectRows(pool, ADMIN_BY_ID, [id])
  return row && { id: Number(row[0]), username: String(row[1]), tokenVersion: Number(row[2]) }
}

/** The identity `(appId, openid)` and its person. */
export async function identityWithUser(
  pool: Pool,
  appId: string,
  openid: string,
): Promise<{ identityId: number; user: UserRow } | undefined> {
  const [row] = await selectRows(pool, IDENTITY_WITH_USER, [appId, openid])
  return row && { identityId: Number(row[0]), user: userRow.decode(row, 1) }
}

/** A slot with the person's active booking of it, read without locks: what a booking is decided on. */
export async function slotWithBookingOf(
  pool: Pool,
  slotId: number,
  userId: number,
): Promise<{ slot: SlotRow; myBookingId: number | null } | undefined> {
  const [row] = await selectRows(pool, SLOT_WITH_BOOKING_OF, [userId, slotId])
  if (!row) return undefined
  const myBookingId = row[slotRow.width]
  return { slot: slotRow.decode(row, 0), myBookingId: myBookingId === null ? null : Number(myBookingId) }
}
