import { eq } from 'drizzle-orm'
import type { Database, Tx } from '../client'
import { type AvatarRow, avatars, users } from '../schema'

/** The person's avatar, replacing the one they had, and their `avatarUrl` pointing at it. */
export async function replaceAvatar(
  tx: Tx,
  avatar: Omit<AvatarRow, 'updatedAt'> & { avatarUrl: string; at: Date },
): Promise<void> {
  const { avatarUrl, at, ...row } = avatar
  await tx
    .insert(avatars)
    .values({ ...row, updatedAt: at })
    .onDuplicateKeyUpdate({
      set: { name: row.name, contentType: row.contentType, bytes: row.bytes, updatedAt: at },
    })
  await tx.update(users).set({ avatarUrl, updatedAt: at }).where(eq(users.id, row.userId))
}

export async function avatarOf(db: Database, userId: number): Promise<AvatarRow | undefined> {
  const [row] = await db.select().from(avatars).where(eq(avatars.userId, userId)).limit(1)
  return row
}
