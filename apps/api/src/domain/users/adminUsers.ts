import type { AdminUser, AdminUsersQuery } from '@yuyue/contracts'
import { normalizeMobile } from '@yuyue/contracts'
import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Pool } from 'mysql2/promise'
import type { Database } from '../../db/client'
import { inTransaction, preparedOnce } from '../../db/client'
import { directSelect, userRow } from '../../db/hotReads'
import { type UserRow, users, wechatIdentities } from '../../db/schema'
import { AppError } from '../../errors'
import type { UserStatusStore } from '../../services/userStatus'
import { type AuditActor, writeAudit } from '../audit/audit'
import { toAdminUser } from './userViews'

/** Which filters a listing or a search applies (role, disabled); their values are placeholders. */
export interface FilterShape {
  role: boolean
  deleted: boolean
}

/**
 * What a search is made of: which ways `q` can match (SPEC: q matches mobile, nickname, openid)
 * and which filters apply. Each shape has one statement, built and prepared once, with the
 * values as placeholders: building a statement was a fifth of a search's CPU.
 */
export interface SearchShape extends FilterShape {
  /** a whole phone number exactly, or digits as a phone prefix (a nickname prefix always) */
  phone: 'none' | 'whole' | 'prefix'
  /** a token that looks like an openid, exactly */
  openid: boolean
}

type Values = Record<string, string | number | boolean>

export interface Search {
  shape: SearchShape
  /** the placeholders' values (see `matchingIds`, `filtersOf`) */
  values: Values
}

type Filters = Pick<AdminUsersQuery, 'role' | 'isDeleted'>

/** The filters asked for, as a shape and the values of its placeholders (`role`, `deleted`). */
function filtersOf(filters: Filters): { shape: FilterShape; values: Values } {
  const values: Values = {}
  if (filters.role !== undefined) values.role = filters.role
  if (filters.isDeleted !== undefined) values.deleted = filters.isDeleted
  return { shape: { role: filters.role !== undefined, deleted: filters.isDeleted !== undefined }, values }
}

/** The filters' conditions on `users`, with the placeholders `filtersOf` gives values to. */
function filterConditions(shape: FilterShape): SQL[] {
  const conditions: SQL[] = []
  if (shape.role) conditions.push(sql`${users.role} = ${sql.placeholder('role')}`)
  if (shape.deleted) conditions.push(sql`${users.isDeleted} = ${sql.placeholder('deleted')}`)
  return conditions
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The search `q` and the filters ask for, with its page. */
export function searchFor(q: string, filters: Filters, limit: number, offset: number): Search {
  const filtered = filtersOf(filters)
  const values: Values = { ...filtered.values, nickname: `${escapeLike(q)}%`, limit, offset }
  let phone: SearchShape['phone'] = 'none'
  const digits = q.replace(/[\s\-+()]/g, '')
  if (/^\d{3,}$/.test(digits)) {
    const whole = normalizeMobile(q)
    phone = whole ? 'whole' : 'prefix'
    if (whole) Object.assign(values, { countryCode: whole.countryCode, mobile: whole.number })
    else values.mobilePrefix = `${digits}%`
  }
  const openid = /^[\w-]{16,64}$/.test(q)
  if (openid) values.openid = q
  return { shape: { ...filtered.shape, phone, openid }, values }
}

/** The ids a search can mean, each found through an index: never a `LIKE '%…%'` scan. */
function matchingIds(shape: SearchShape): SQL {
  const parts: SQL[] = [sql`SELECT id FROM ${users} WHERE nickname LIKE ${sql.placeholder('nickname')}`]
  if (shape.phone === 'whole') {
    parts.push(
      sql`SELECT id FROM ${users} WHERE country_code = ${sql.placeholder('countryCode')} AND mobile = ${sql.placeholder('mobile')}`,
    )
  } else if (shape.phone === 'prefix') {
    parts.push(sql`SELECT id FROM ${users} WHERE mobile LIKE ${sql.placeholder('mobilePrefix')}`)
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

interface Deps {
  db: Database
  /** the main pool under `db`: the page of people is read on mysql2 directly (`directSelect`) */
  pool: Pool
}

export async function listUsers(deps: Deps, query: AdminUsersQuery & { page: number; pageSize: number }) {
  const offset = (query.page - 1) * query.pageSize
  const q = query.q?.trim()
  const { rows, total } = q
    ? await searchPage(deps, searchFor(q, query, query.pageSize, offset))
    : await listPage(deps, query, query.pageSize, offset)
  return { items: rows.map(toAdminUser), total, page: query.page, pageSize: query.pageSize }
}

interface Page {
  rows: UserRow[]
  total: number
}

/**
 * Everyone (or a role, or the disabled): the page walks the primary key (or the filter's index,
 * which InnoDB orders by primary key too) and stops after it; the total is its own count, read
 * at the same time. A window count here would sort every person first.
 */
async function listPage({ db, pool }: Deps, filters: Filters, limit: number, offset: number): Promise<Page> {
  const { shape, values } = filtersOf(filters)
  const [rows, [counted]] = await Promise.all([
    preparedListPage(db, shape)(pool, { ...values, limit, offset }),
    preparedListTotal(db, shape).execute(values),
  ])
  return { rows: rows.map((row) => userRow.decode(row, 0)), total: counted?.total ?? 0 }
}

/**
 * A search's page as one statement: the matching ids come from indexes (derived table), the window
 * counts those ids (never whole rows), and only the page's rows are read, by primary key. Exported
 * so a test can EXPLAIN exactly what runs.
 */
export function searchPageQuery(db: Database, shape: SearchShape) {
  const pageIds = sql`SELECT m.id, COUNT(*) OVER () AS total FROM ${matchesOf(shape)} ORDER BY m.id DESC LIMIT ${sql.placeholder('limit')} OFFSET ${sql.placeholder('offset')}`
  return db
    .select({ user: users, total: sql<string>`p.total` })
    .from(users)
    .innerJoin(sql`(${pageIds}) p`, sql`p.id = ${users.id}`)
    .orderBy(desc(users.id))
}

/** The search's total alone, for a page past the last one (no row there carries it). */
function searchTotalQuery(db: Database, shape: SearchShape) {
  return db.select({ total: sql<string>`COUNT(*)` }).from(sql`${matchesOf(shape)}`)
}

/**
 * One statement per database and shape (at most 24 search shapes), built once by `preparedOnce`:
 * a drizzle prepared query, or the page's `directSelect`.
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
const searchKey = (shape: SearchShape) => `${shape.phone}:${shape.openid}:${filterKey(shape)}`

const preparedListPage = preparedPerShape(filterKey, (db, shape) =>
  directSelect(
    db
      .select()
      .from(users)
      .where(and(...filterConditions(shape)))
      .orderBy(desc(users.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset')),
  ),
)
const preparedListTotal = preparedPerShape(filterKey, (db, shape) =>
  db
    .select({ total: count() })
    .from(users)
    .where(and(...filterConditions(shape)))
    .prepare(),
)
const preparedSearchPage = preparedPerShape(searchKey, (db, shape) =>
  directSelect(searchPageQuery(db, shape)),
)
const preparedSearchTotal = preparedPerShape(searchKey, (db, shape) => searchTotalQuery(db, shape).prepare())

async function searchPage({ db, pool }: Deps, search: Search): Promise<Page> {
  const found = await preparedSearchPage(db, search.shape)(pool, search.values)
  // each row: the person's columns, then the total (searchPageQuery)
  if (found.length > 0)
    return { rows: found.map((row) => userRow.decode(row, 0)), total: Number(found[0]![userRow.width]) }
  // past the last page there is no row to carry the total: count it apart
  if (search.values.offset === 0) return { rows: [], total: 0 }
  const [counted] = await preparedSearchTotal(db, search.shape).execute(search.values)
  return { rows: [], total: Number(counted?.total ?? 0) }
}

/**
 * 禁用 / 启用. Disabling also bumps the token version, so tokens issued before are dead for good:
 * after re-enabling, the person logs in again (silently, in the mini-program).
 */
export async function setUserDisabled(
  deps: { db: Database; userStatus: UserStatusStore; now: () => Date },
  actor: AuditActor,
  userId: number,
  isDeleted: boolean,
): Promise<AdminUser> {
  const now = deps.now()
  const row = await deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx): Promise<UserRow> => {
      const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update')
      if (!user) throw new AppError('NOT_FOUND', '用户不存在')
      if (user.isDeleted === isDeleted) return user
      await mark([userId])
      const tokenVersion = isDeleted ? user.tokenVersion + 1 : user.tokenVersion
      await tx.update(users).set({ isDeleted, tokenVersion, updatedAt: now }).where(eq(users.id, userId))
      await writeAudit(tx, {
        actor,
        action: isDeleted ? 'user.disable' : 'user.enable',
        target: `user:${userId}`,
        detail: { nickname: user.nickname },
      })
      return { ...user, isDeleted, tokenVersion, updatedAt: now }
    }),
  )
  return toAdminUser(row)
}
