import type { AdminUser, AdminUsersQuery } from '@yuyue/contracts'
import { normalizeMobile } from '@yuyue/contracts'
import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { inTransaction } from '../../db/client'
import { type UserRow, users, wechatIdentities } from '../../db/schema'
import { AppError } from '../../errors'
import type { UserStatusStore } from '../../services/userStatus'
import { type AuditActor, writeAudit } from '../audit/audit'
import { toAdminUser } from './userViews'

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * The ids `q` can mean, each found through an index (SPEC: q matches mobile, nickname, openid):
 * a whole phone number exactly, digits as a phone prefix, any text as a nickname prefix, and a
 * token that looks like an openid exactly. Never a `LIKE '%…%'` scan.
 */
function matchingIds(q: string): SQL {
  const parts: SQL[] = [sql`SELECT id FROM ${users} WHERE nickname LIKE ${`${escapeLike(q)}%`}`]
  const digits = q.replace(/[\s\-+()]/g, '')
  if (/^\d{3,}$/.test(digits)) {
    const whole = normalizeMobile(q)
    parts.push(
      whole
        ? sql`SELECT id FROM ${users} WHERE country_code = ${whole.countryCode} AND mobile = ${whole.number}`
        : sql`SELECT id FROM ${users} WHERE mobile LIKE ${`${digits}%`}`,
    )
  }
  if (/^[\w-]{16,64}$/.test(q)) {
    parts.push(sql`SELECT user_id AS id FROM ${wechatIdentities} WHERE openid = ${q}`)
  }
  return sql.join(parts, sql` UNION `)
}

export async function listUsers(db: Database, query: AdminUsersQuery & { page: number; pageSize: number }) {
  const filters: SQL[] = []
  if (query.role) filters.push(eq(users.role, query.role))
  if (query.isDeleted !== undefined) filters.push(eq(users.isDeleted, query.isDeleted))
  const where = filters.length ? and(...filters) : undefined
  const offset = (query.page - 1) * query.pageSize
  const q = query.q?.trim()
  const { rows, total } = q
    ? await searchPage(db, q, where, query.pageSize, offset)
    : await listPage(db, where, query.pageSize, offset)
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
async function listPage(db: Database, where: SQL | undefined, limit: number, offset: number): Promise<Page> {
  const [rows, [counted]] = await Promise.all([
    db.select().from(users).where(where).orderBy(desc(users.id)).limit(limit).offset(offset),
    db.select({ total: count() }).from(users).where(where),
  ])
  return { rows, total: counted?.total ?? 0 }
}

/**
 * A search's page as one statement: the matching ids come from indexes (derived table), the window
 * counts those ids (never whole rows), and only the page's rows are read, by primary key. Exported
 * so a test can EXPLAIN exactly what runs.
 */
export function searchPageQuery(
  db: Database,
  q: string,
  where: SQL | undefined,
  limit: number,
  offset: number,
) {
  const from = matchesOf(q, where)
  const pageIds = sql`SELECT m.id, COUNT(*) OVER () AS total FROM ${from} ORDER BY m.id DESC LIMIT ${limit} OFFSET ${offset}`
  return db
    .select({ user: users, total: sql<string>`p.total` })
    .from(users)
    .innerJoin(sql`(${pageIds}) p`, sql`p.id = ${users.id}`)
    .orderBy(desc(users.id))
}

/** The ids `q` matches, as `m`; joined to the people only when a filter needs their columns. */
function matchesOf(q: string, where: SQL | undefined): SQL {
  return where
    ? sql`(${matchingIds(q)}) m JOIN ${users} ON ${users.id} = m.id WHERE ${where}`
    : sql`(${matchingIds(q)}) m`
}

async function searchPage(
  db: Database,
  q: string,
  where: SQL | undefined,
  limit: number,
  offset: number,
): Promise<Page> {
  const found = await searchPageQuery(db, q, where, limit, offset)
  if (found.length > 0) return { rows: found.map((row) => row.user), total: Number(found[0]!.total) }
  // past the last page there is no row to carry the total: count it apart
  if (offset === 0) return { rows: [], total: 0 }
  const [counted] = await db.execute(sql`SELECT COUNT(*) AS total FROM ${matchesOf(q, where)}`)
  return { rows: [], total: Number((counted as unknown as { total: number }[])[0]?.total ?? 0) }
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
