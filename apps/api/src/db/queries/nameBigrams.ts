import { getTableName, type SQL, sql } from 'drizzle-orm'
import mysql from 'mysql2'
import type { Tx } from '../client'
import { nameBigrams } from '../schema'

export type NameKind = (typeof nameBigrams.kind.enumValues)[number]

/**
 * The distinct lower-cased two-character pieces of a name, by code point (an emoji is one
 * character, as CHAR_LENGTH counts it): what is stored for a name and looked up for a query.
 */
export function bigramsOf(text: string): string[] {
  const chars = Array.from(text.toLowerCase())
  const pieces = new Set<string>()
  for (let i = 0; i + 1 < chars.length; i++) pieces.add(chars[i]! + chars[i + 1]!)
  return [...pieces]
}

/**
 * A query's pieces to intersect: at most `MAX_QUERY_BIGRAMS`, spread over it. Each piece narrows
 * the candidates; the candidates are then checked against the whole text, so fewer only costs
 * more candidates, never a wrong answer.
 */
export const MAX_QUERY_BIGRAMS = 6
export function queryBigrams(text: string): string[] {
  const all = bigramsOf(text)
  if (all.length <= MAX_QUERY_BIGRAMS) return all
  const step = (all.length - 1) / (MAX_QUERY_BIGRAMS - 1)
  return Array.from({ length: MAX_QUERY_BIGRAMS }, (_, i) => all[Math.round(i * step)]!)
}

/** An owner's name before and after a write (`null`: none). */
export interface NameChange {
  id: number
  before: string | null
  after: string | null
}

/**
 * The names' pieces from now on, writing only the pieces that change: a name imported again as it
 * was writes nothing, a new owner needs no delete. The pieces that go are told from the name
 * before, so each is deleted by the primary key: the table needs no index by owner, which cost as
 * much as the pieces' own writes. Every writer of a name reads the name before locked, after
 * locking its owner's row (the person, the number), so no other writer moves the pieces meanwhile.
 */
export async function replaceNameBigrams(tx: Tx, kind: NameKind, owners: NameChange[]): Promise<void> {
  // each piece's text written once as it is found, escaped value by value as mysql2 escapes a
  // parameterised query's: `mysql.format` per piece was most of an import's own statement-building
  const gone: string[] = []
  const added: string[] = []
  const escapedKind = mysql.escape(kind)
  for (const owner of owners) {
    if (owner.before === owner.after) continue
    const had = new Set(owner.before ? bigramsOf(owner.before) : [])
    const wanted = new Set(owner.after ? bigramsOf(owner.after) : [])
    const id = mysql.escape(owner.id)
    for (const bigram of had) if (!wanted.has(bigram)) gone.push(`(${mysql.escape(bigram)}, ${id})`)
    for (const bigram of wanted)
      if (!had.has(bigram)) added.push(`(${escapedKind}, ${mysql.escape(bigram)}, ${id})`)
  }
  const t = nameBigrams
  // the kind apart from the list: MariaDB scans the whole table for a list of (kind, bigram,
  // owner_id) but looks up a list of (bigram, owner_id) by the primary key
  for (let i = 0; i < gone.length; i += PIECES_PER_DELETE) {
    const list = gone.slice(i, i + PIECES_PER_DELETE)
    await tx.execute(
      sql.raw(
        `DELETE FROM ${getTableName(t)} WHERE ${t.kind.name} = ${escapedKind} AND (${t.bigram.name}, ${t.ownerId.name}) IN (${list.join(', ')})`,
      ),
    )
  }
  // in statements of a bounded size: a 5 000-row import is ~30 000 pieces, which drizzle's builder
  // took seconds to render. A piece already there (the back-fill lower-cased in SQL, not in JS) is
  // kept rather than an error.
  for (let i = 0; i < added.length; i += PIECES_PER_INSERT) {
    const list = added.slice(i, i + PIECES_PER_INSERT)
    await tx.execute(
      sql.raw(
        `INSERT INTO ${getTableName(t)} (${t.kind.name}, ${t.bigram.name}, ${t.ownerId.name}) VALUES ${list.join(', ')} ON DUPLICATE KEY UPDATE ${t.ownerId.name} = ${t.ownerId.name}`,
      ),
    )
  }
}

const PIECES_PER_INSERT = 10_000
/** under `in_predicate_conversion_threshold` (1000), as every IN list here */
const PIECES_PER_DELETE = 500

/** Deletes the pieces of these owners' names (as they are before the write, read locked). */
export function deleteNameBigrams(
  tx: Tx,
  kind: NameKind,
  owners: { id: number; name: string | null }[],
): Promise<void> {
  return replaceNameBigrams(
    tx,
    kind,
    owners.map((o) => ({ id: o.id, before: o.name, after: null })),
  )
}

/**
 * The owners whose name holds every piece (`pieces` placeholders `bigram0…`), as `owner_id`: one
 * index range per piece, grouped; the caller checks the whole text on the few rows left.
 */
export function ownersWithBigrams(kind: NameKind, pieces: number): SQL {
  const list = sql.join(
    Array.from({ length: pieces }, (_, i) => sql.placeholder(`bigram${i}`)),
    sql`, `,
  )
  return sql`SELECT owner_id FROM ${nameBigrams} WHERE kind = ${kind} AND bigram IN (${list}) GROUP BY owner_id HAVING COUNT(*) = ${pieces}`
}

/** The placeholder values `ownersWithBigrams` reads. */
export function bigramValues(pieces: string[]): Record<string, string> {
  return Object.fromEntries(pieces.map((piece, i) => [`bigram${i}`, piece]))
}
