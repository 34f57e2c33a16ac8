import { randomBytes } from 'node:crypto'
import type { UpdateMeBody } from '@yuyue/contracts'
import { eq } from 'drizzle-orm'
import { replaceAvatar } from '../../db/avatars'
import { type Database, inTransaction } from '../../db/client'
import { type UserRow, users } from '../../db/schema'
import { AppError } from '../../errors'
import { AVATAR_CONTENT_TYPES, type AvatarKind, reencodeAvatar } from './avatarImage'

export async function findUser(db: Database, userId: number): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1)
  if (!row) throw new AppError('UNAUTHORIZED')
  return row
}

export async function updateProfile(
  db: Database,
  userId: number,
  patch: UpdateMeBody,
  now: Date,
): Promise<UserRow> {
  const changes: Partial<UserRow> = { updatedAt: now }
  if (patch.nickname !== undefined) changes.nickname = patch.nickname.trim()
  if (patch.avatarUrl !== undefined) changes.avatarUrl = patch.avatarUrl
  await db.update(users).set(changes).where(eq(users.id, userId))
  return findUser(db, userId)
}

/** The image kinds accepted as avatars, told apart by their first bytes, not by what the client says. */
export function sniffImage(bytes: Buffer): AvatarKind | null {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg'
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'webp'
  return null
}

export const AVATAR_ROUTE_PREFIX = '/api/uploads/'

/**
 * Re-encodes an uploaded avatar and keeps it in the database as the person's one avatar, under a
 * new unguessable name (the old URL stops answering), and points the user at it. `publicBase` is
 * the origin clients reach the API on.
 */
export async function storeAvatar(
  db: Database,
  input: { userId: number; bytes: Buffer; publicBase: string; now: Date },
): Promise<UserRow> {
  const kind = sniffImage(input.bytes)
  if (!kind) throw new AppError('VALIDATION_FAILED', '头像必须是 PNG、JPEG 或 WebP 图片')
  const bytes = await reencodeAvatar(input.bytes, kind)
  const name = `${input.userId}-${randomBytes(12).toString('hex')}.${kind}`
  await inTransaction(db, (tx) =>
    replaceAvatar(tx, {
      userId: input.userId,
      name,
      contentType: AVATAR_CONTENT_TYPES[kind],
      bytes,
      avatarUrl: `${input.publicBase}${AVATAR_ROUTE_PREFIX}avatars/${name}`,
      at: input.now,
    }),
  )
  return findUser(db, input.userId)
}
