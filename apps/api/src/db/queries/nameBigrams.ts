import { and, eq, getTableName, inArray, type SQL, sql } from 'drizzle-orm'
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

/** The names' pieces from now on: the old ones of these owners go, the new ones are written. */
export async function replaceNameBigrams(
  tx: Tx,
  kind: NameKind,
  owners: { id: number; name: string | null }[],
): Promise<void> {
  if (owners.length === 0) return
  await deleteNameBigrams(
    tx,
    kind,
    owners.map((o) => o.id),
  )
  const values = owners.flatMap((o) =>
    (o.name ? bigramsOf(o.name) : []).map((bigram) => mysql.format('(?, ?, ?)', [kind, bigram, o.id])),
  )
  // written as mysql2 escapes a parameterised query's values, in statements of a bounded size: a
  // 5 000-row import is ~50 000 pieces, which drizzle's builder took seconds to render
  for (let i = 0; i < values.length; i += 10_000) {
    await tx.execute(sql.raw(`${INSERT_HEAD}${values.slice(i, i + 10_000).join(', ')}`))
  }
}

const INSERT_HEAD = `INSERT INTO ${getTableName(nameBigrams)} (${[nameBigrams.kind, nameBigrams.bigram, nameBigrams.ownerId].map((c) => c.name).join(', ')}) VALUES `

export async function deleteNameBigrams(tx: Tx, kind: NameKind, ids: number[]): Promise<void> {
  if (ids.length === 0) return
  await tx.delete(nameBigrams).where(and(eq(nameBigrams.kind, kind), inArray(nameBigrams.ownerId, ids)))
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
