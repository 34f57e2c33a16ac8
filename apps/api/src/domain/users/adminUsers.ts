import type { AdminUser, AdminUsersQuery } from '@yuyue/contracts'
import { normalizeMobile } from '@yuyue/contracts'
import { eq, inArray, type SQL, sql } from 'drizzle-orm'
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
  if (query.role) filters.push(sql`u.role = ${query.role}`)
  if (query.isDeleted !== undefined) filters.push(sql`u.is_deleted = ${query.isDeleted}`)
  const where = filters.length ? sql`WHERE ${sql.join(filters, sql` AND `)}` : sql``
  const q = query.q?.trim()
  // with q, the few matching ids are found first (derived table), then joined by primary key
  const from = q ? sql`(${matchingIds(q)}) m JOIN ${users} u ON u.id = m.id` : sql`${users} u`
  const offset = (query.page - 1) * query.pageSize

  // the page's ids and the total in one statement (the window counts the ids, not whole rows)
  const [rows] = await db.execute(
    sql`SELECT u.id, COUNT(*) OVER () AS total FROM ${from} ${where} ORDER BY u.id DESC LIMIT ${query.pageSize} OFFSET ${offset}`,
  )
  const page = rows as unknown as { id: number; total: number }[]
  const ids = page.map((r) => Number(r.id))
  // past the last page there is no row to carry the total: count it apart
  const total =
    page.length > 0
      ? Number(page[0]!.total)
      : offset === 0
        ? 0
        : Number(
            (
              (await db.execute(sql`SELECT COUNT(*) AS total FROM ${from} ${where}`))[0] as unknown as {
                total: number
              }[]
            )[0]?.total ?? 0,
          )
  const found = ids.length ? await db.select().from(users).where(inArray(users.id, ids)) : []
  const byId = new Map(found.map((row) => [row.id, row]))
  const items = ids.flatMap((id) => {
    const row = byId.get(id)
    return row ? [toAdminUser(row)] : []
  })
  return { items, total, page: query.page, pageSize: query.pageSize }
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
