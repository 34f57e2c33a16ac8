import type { Mobile } from '@yuyue/contracts'
import { getTableName, sql } from 'drizzle-orm'
import mysql from 'mysql2'
import type { Tx } from '../client'
import { phoneNumbers } from '../schema'

/** Rows one upsert carries: few statements for an import, far under any packet limit. */
const ROWS_PER_STATEMENT = 1000

/**
 * Writes the numbers' rows (`phone_numbers`), first thing in a transaction that decides who holds
 * a number or whether it is staff: two such transactions on one number then conflict on every
 * topology (the second waits on one server, one is aborted and retried on multi-primary Galera),
 * so the role rule rests on a write rather than on a locking read. In key order, so two imports
 * take their rows in the same order.
 */
export async function touchPhoneNumbers(tx: Tx, mobiles: Mobile[]): Promise<void> {
  for (const statement of phoneNumbersUpserts(mobiles)) await tx.execute(sql.raw(statement))
}

/** The upserts `touchPhoneNumbers` sends, as text: also sent by the binding on its own connection. */
export function phoneNumbersUpserts(mobiles: Mobile[]): string[] {
  const rows = mobiles
    .map((m) => ({ countryCode: m.countryCode, mobile: m.number }))
    .sort((a, b) => a.countryCode.localeCompare(b.countryCode) || a.mobile.localeCompare(b.mobile))
  const statements: string[] = []
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((r) => mysql.format('(?, ?)', [r.countryCode, r.mobile]))
    statements.push(`${UPSERT_HEAD}${values.join(', ')}${UPSERT_TAIL}`)
  }
  return statements
}

// escaped by mysql2, as the staff import's upsert: drizzle's builder spent most of an import
// chunk's own CPU rendering its numbers (docs/performance.md)
const p = phoneNumbers
const UPSERT_HEAD = `INSERT INTO ${getTableName(p)} (${p.countryCode.name}, ${p.mobile.name}) VALUES `
const UPSERT_TAIL = ` ON DUPLICATE KEY UPDATE ${p.changes.name} = ${p.changes.name} + 1`
