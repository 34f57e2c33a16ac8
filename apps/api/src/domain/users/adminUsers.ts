import type { AdminUser, AdminUsersQuery } from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import { lockUser, setUserDisabledRow } from '../../db/queries/people'
import { listPeoplePage, type PeopleSearch, searchPeoplePage } from '../../db/queries/peopleSearch'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { phoneInQuery } from '../search/phoneInQuery'
import { toAdminUser } from './userViews'

type Filters = Pick<AdminUsersQuery, 'role' | 'isDeleted'>

/**
 * What `q` asks for (SPEC: q matches mobile, nickname, openid): always a nickname prefix; digits
 * (three or more) a whole phone or a phone prefix; a token shaped like an openid, that openid.
 */
export function searchFor(q: string, filters: Filters): PeopleSearch {
  return {
    role: filters.role,
    isDeleted: filters.isDeleted,
    nicknamePrefix: q,
    phone: phoneInQuery(q, 3),
    openid: /^[\w-]{16,64}$/.test(q) ? q : null,
  }
}

export async function listUsers(
  deps: Pick<DomainDeps, 'db'>,
  query: AdminUsersQuery & { page: number; pageSize: number },
) {
  const page = { limit: query.pageSize, offset: (query.page - 1) * query.pageSize }
  const q = query.q?.trim()
  const { rows, total } = q
    ? await searchPeoplePage(deps.db, searchFor(q, query), page)
    : await listPeoplePage(deps.db, query, page)
  return { items: rows.map(toAdminUser), total, page: query.page, pageSize: query.pageSize }
}

/**
 * 禁用 / 启用. Disabling also bumps the token version, so tokens issued before are dead for good:
 * after re-enabling, the person logs in again (silently, in the mini-program).
 */
export async function setUserDisabled(
  deps: Pick<DomainDeps, 'db' | 'userStatus' | 'now'>,
  actor: AuditActor,
  userId: number,
  isDeleted: boolean,
): Promise<AdminUser> {
  const now = deps.now()
  const row = await deps.userStatus.changing((mark) =>
    inTransaction(deps.db, async (tx): Promise<UserRow> => {
      const user = await lockUser(tx, userId)
      if (!user) throw new AppError('NOT_FOUND', '用户不存在')
      if (user.isDeleted === isDeleted) return user
      await mark([userId])
      const tokenVersion = isDeleted ? user.tokenVersion + 1 : user.tokenVersion
      await setUserDisabledRow(tx, userId, { isDeleted, tokenVersion, at: now })
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
