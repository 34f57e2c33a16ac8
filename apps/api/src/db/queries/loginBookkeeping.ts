import { sql } from 'drizzle-orm'
import type { Database } from '../client'

export interface LoginRecord {
  identityId: number
  sessionKey: string
  unionid: string | null
  at: Date
}

/**
 * What a batch of returning people's logins leaves behind, in one statement: each identity's new
 * session_key and last login, a unionid revealed for the first time, and the person's
 * last_login_at. drizzle's update cannot join a derived table of values, hence its `sql` here.
 */
export async function writeLoginRecords(db: Database, batch: LoginRecord[]): Promise<void> {
  const rows = sql.join(
    batch.map(
      (login) =>
        sql`SELECT ${login.identityId} AS id, ${login.sessionKey} AS session_key, ${login.unionid} AS unionid, ${login.at} AS at`,
    ),
    sql` UNION ALL `,
  )
  await db.execute(
    sql`UPDATE wechat_identities i JOIN users u ON u.id = i.user_id JOIN (${rows}) v ON v.id = i.id
      SET i.session_key = v.session_key, i.last_login_at = v.at,
          i.unionid = COALESCE(i.unionid, v.unionid), u.last_login_at = v.at`,
  )
}
