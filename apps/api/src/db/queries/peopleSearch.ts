import type { Mobile } from '@yuyue/contracts'
import { and, count, desc, type SQL, sql } from 'drizzle-orm'
import { type Database, preparedOnce } from '../client'
import { nameBigrams, type UserRow, users, wechatIdentities } from '../schema'
import { endingWithReversed, holding, startingWith } from './like'
import { bigramValues, queryBigrams } from './nameBigrams'

/** The people's filters of the dashboard's list. */
export interface PeopleFilters {
  role?: 'user' | 'staff'
  isDeleted?: boolean
}

/** What `q` asked for (SPEC: q matches mobile, nickname, openid), read by the domain. */
export interface PeopleSearch extends PeopleFilters {
  /** matched at a nickname's start, and (2 characters or more) anywhere in it */
  nickname: string
  /** a whole number, or digits a number starts or ends with */
  phone: { whole: Mobile } | { digits: string } | null
  openid: string | null
}

export interface PeoplePage {
  rows: UserRow[]
  total: number
}

/** Which filters a listing or a search applies; their values are placeholders. */
interface FilterShape {
  role: boolean
  deleted: boolean
}

/** Which ways `q` can match, and which filters apply: each shape has one prepared statement. */
interface SearchShape extends FilterShape {
  phone: 'none' | 'whole' | 'digits'
  openid: boolean
  /** how many pieces of the nickname are intersected (0: the text is too short for any) */
  nicknamePieces: number
}

type Values = Record<string, string | number | boolean>

function filtersOf(filters: PeopleFilters): { shape: FilterShape; values: Values } {
  const values: Values = {}
  if (filters.role !== undefined) values.role = filters.role
  if (filters.isDeleted !== undefined) values.deleted = filters.isDeleted
  return { shape: { role: filters.role !== undefined, deleted: filters.isDeleted !== undefined }, values }
}

function filterConditions(shape: FilterShape): SQL[] {
  const conditions: SQL[] = []
  if (shape.role) conditions.push(sql`${users.role} = ${sql.placeholder('role')}`)
  if (shape.deleted) conditions.push(sql`${users.isDeleted} = ${sql.placeholder('deleted')}`)
  return conditions
}

function searchOf(
  search: PeopleSearch,
  limit: number,
  offset: number,
): { shape: SearchShape; values: Values } {
  const filtered = filtersOf(search)
  const pieces = queryBigrams(search.nickname)
  const values: Values = {
    ...filtered.values,
    ...bigramValues(pieces),
    nickname: startingWith(search.nickname),
    limit,
    offset,
  }
  if (pieces.length > 0) values.nicknamePart = holding(search.nickname)
  let phone: SearchShape['phone'] = 'none'
  if (search.phone && 'whole' in search.phone) {
    phone = 'whole'
    Object.assign(values, { countryCode: search.phone.whole.countryCode, mobile: search.phone.whole.number })
  } else if (search.phone) {
    phone = 'digits'
    values.mobilePrefix = startingWith(search.phone.digits)
    values.mobileTail = endingWithReversed(search.phone.digits)
  }
  if (search.openid !== null) values.openid = search.openid
  const shape = { ...filtered.shape, phone, openid: search.openid !== null, nicknamePieces: pieces.length }
  return { shape, values }
}

/**
 * The people whose nickname holds every piece (placeholders `bigram0…`), as `owner_id`: one
 * piece's index range, then each other piece one primary-key look-up per candidate, so the
 * optimizer starts from the rarest piece. A GROUP BY over the pieces' IN list read every piece's
 * whole range instead: a Latin nickname's six pieces are ~46 000 entries on 1 000 000 people.
 */
function ownersWithPieces(pieces: number): SQL {
  const other = Array.from({ length: pieces - 1 }, (_, i) => {
    const b = sql.raw(`b${i + 1}`)
    return sql` JOIN ${nameBigrams} ${b} ON ${b}.kind = b0.kind AND ${b}.bigram = ${sql.placeholder(`bigram${i + 1}`)} AND ${b}.owner_id = b0.owner_id`
  })
  return sql`SELECT b0.owner_id FROM ${nameBigrams} b0${sql.join(other)} WHERE b0.kind = ${'user'} AND b0.bigram = ${sql.placeholder('bigram0')}`
}

/** The ids a search can mean, each found through an index: never a `LIKE '%…%'` scan. */
function matchingIds(shape: SearchShape): SQL {
  const parts: SQL[] = [sql`SELECT id FROM ${users} WHERE nickname LIKE ${sql.placeholder('nickname')}`]
  if (shape.nicknamePieces > 0) {
    // the pieces find the candidates through the index; the whole text is checked on those rows
    parts.push(
      sql`SELECT ${users.id} FROM (${ownersWithPieces(shape.nicknamePieces)}) b JOIN ${users} ON ${users.id} = b.owner_id WHERE ${users.nickname} LIKE ${sql.placeholder('nicknamePart')}`,
    )
  }
  if (shape.phone === 'whole') {
    parts.push(
      sql`SELECT id FROM ${users} WHERE country_code = ${sql.placeholder('countryCode')} AND mobile = ${sql.placeholder('mobile')}`,
    )
  } else if (shape.phone === 'digits') {
    parts.push(sql`SELECT id FROM ${users} WHERE mobile LIKE ${sql.placeholder('mobilePrefix')}`)
    parts.push(sql`SELECT id FROM ${users} WHERE mobile_reversed LIKE ${sql.placeholder('mobileTail')}`)
  }
  if (shape.openid) {
    parts.push(sql`SELECT user_id AS id FROM ${wechatIdentities} WHERE openid = ${sql.placeholder('openid')}`)
  }
  return sql.join(parts, sql` UNION `)
}

/** The ids a search matches, as `m`; joined to the people only when a filter needs their columns. */
function matchesOf(shape: SearchShape): SQL {
  const conditions = filterConditions(shape)
  return conditions.length
    ? sql`(${matchingIds(shape)}) m JOIN ${users} ON ${users.id} = m.id WHERE ${sql.join(conditions, sql` AND `)}`
    : sql`(${matchingIds(shape)}) m`
}

/**
 * A search's page as one statement: the matching ids come from indexes (derived table), the window
 * counts those ids (never whole rows), and only the page's rows are read, by primary key.
 */
function searchPageQuery(db: Database, shape: SearchShape) {
  const pageIds = sql`SELECT m.id, COUNT(*) OVER () AS total FROM ${matchesOf(shape)} ORDER BY m.id DESC LIMIT ${sql.placeholder('limit')} OFFSET ${sql.placeholder('offset')}`
  return db
    .select({ user: users, total: sql<string>`p.total` })
    .from(users)
    .innerJoin(sql`(${pageIds}) p`, sql`p.id = ${users.id}`)
    .orderBy(desc(users.id))
}

/**
 * One prepared statement per database and shape (at most 168 search shapes), built once. Kept by
 * measurement: building each search anew was 829-922 req/s, prepared 1 096-1 204 (alternated).
 */
function preparedPerShape<Shape, Query>(
  keyOf: (shape: Shape) => string,
  build: (db: Database, shape: Shape) => Query,
) {
  const perShape = new Map<string, (db: Database) => Query>()
  return (db: Database, shape: Shape): Query => {
    const key = keyOf(shape)
    let prepared = perShape.get(key)
    if (!prepared) {
      prepared = preparedOnce((database) => build(database, shape))
      perShape.set(key, prepared)
    }
    return prepared(db)
  }
}

const filterKey = (shape: FilterShape) => `${shape.role}:${shape.deleted}`
const searchKey = (shape: SearchShape) =>
  `${shape.phone}:${shape.openid}:${shape.nicknamePieces}:${filterKey(shape)}`

const preparedListPage = preparedPerShape(filterKey, (db, shape) =>
  db
    .select()
    .from(users)
    .where(and(...filterConditions(shape)))
    .orderBy(desc(users.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare(),
)
const preparedListTotal = preparedPerShape(filterKey, (db, shape) =>
  db
    .select({ total: count() })
    .from(users)
    .where(and(...filterConditions(shape)))
    .prepare(),
)
const preparedSearchPage = preparedPerShape(searchKey, (db, shape) => searchPageQuery(db, shape).prepare())
const preparedSearchTotal = preparedPerShape(searchKey, (db, shape) =>
  db
    .select({ total: sql<string>`COUNT(*)` })
    .from(sql`${matchesOf(shape)}`)
    .prepare(),
)

/**
 * Everyone (or a role, or the disabled): the page walks the primary key (or the filter's index,
 * which InnoDB orders by primary key too) and stops after it; the total is its own count, read
 * at the same time. A window count here would sort every person first.
 */
export async function listPeoplePage(
  db: Database,
  filters: PeopleFilters,
  page: { limit: number; offset: number },
): Promise<PeoplePage> {
  const { shape, values } = filtersOf(filters)
  const [rows, [counted]] = await Promise.all([
    preparedListPage(db, shape).execute({ ...values, ...page }),
    preparedListTotal(db, shape).execute(values),
  ])
  return { rows, total: counted?.total ?? 0 }
}

/** A search's page and the total of its matches. */
export async function searchPeoplePage(
  db: Database,
  search: PeopleSearch,
  page: { limit: number; offset: number },
): Promise<PeoplePage> {
  const { shape, values } = searchOf(search, page.limit, page.offset)
  const found = await preparedSearchPage(db, shape).execute(values)
  if (found.length > 0) return { rows: found.map((row) => row.user), total: Number(found[0]!.total) }
  // past the last page there is no row to carry the total: count it apart
  if (page.offset === 0) return { rows: [], total: 0 }
  const [counted] = await preparedSearchTotal(db, shape).execute(values)
  return { rows: [], total: Number(counted?.total ?? 0) }
}

/** The search's page statement with its values, as `searchPeoplePage` runs it (for EXPLAIN in tests). */
export function searchPeopleStatement(
  db: Database,
  search: PeopleSearch,
  page: { limit: number; offset: number },
) {
  const { shape, values } = searchOf(search, page.limit, page.offset)
  const { sql: text, params } = searchPageQuery(db, shape).toSQL()
  return { sql: text, params, values }
}
