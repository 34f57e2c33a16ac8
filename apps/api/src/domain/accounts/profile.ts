import { randomBytes } from 'node:crypto'
import { type Database, inTransaction } from '../../db/client'
import { setNickname } from '../../db/queries/accounts'
import { replaceAvatar } from '../../db/queries/avatars'
import { userById } from '../../db/queries/people'
import type { UserRow } from '../../db/schema'
import { AppError } from '../../errors'
import { AVATAR_CONTENT_TYPES, type AvatarKind, reencodeAvatar } from './avatarImage'

export async function findUser(db: Database, userId: number): Promise<UserRow> {
  const row = await userById(db, userId)
  if (!row) throw new AppError('UNAUTHORIZED')
  return row
}

/** The nickname, once WeChat's review of it passed on the phone (SPEC §7), trimmed. */
export async function saveNickname(
  db: Database,
  userId: number,
  nickname: string,
  now: Date,
): Promise<UserRow> {
  await setNickname(db, userId, nickname.trim(), now)
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
