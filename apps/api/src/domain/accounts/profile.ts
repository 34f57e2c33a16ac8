import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { setNickname, userRowById } from '../../db/accounts'
import type { Database } from '../../db/client'
import { type UserRow, users } from '../../db/schema'
import { AppError } from '../../errors'

export async function findUser(db: Database, userId: number): Promise<UserRow> {
  const row = await userRowById(db, userId)
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
export function sniffImage(bytes: Buffer): 'png' | 'jpg' | 'webp' | null {
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
 * Keeps an uploaded avatar under UPLOAD_DIR/avatars with an unguessable name and points the user
 * at it. `publicBase` is the origin clients reach the API on.
 */
export async function storeAvatar(
  db: Database,
  input: { userId: number; bytes: Buffer; uploadDir: string; publicBase: string; now: Date },
): Promise<UserRow> {
  const kind = sniffImage(input.bytes)
  if (!kind) throw new AppError('VALIDATION_FAILED', '头像必须是 PNG、JPEG 或 WebP 图片')
  const name = `${input.userId}-${randomBytes(12).toString('hex')}.${kind}`
  const dir = join(input.uploadDir, 'avatars')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, name), input.bytes)
  const avatarUrl = `${input.publicBase}${AVATAR_ROUTE_PREFIX}avatars/${name}`
  await db.update(users).set({ avatarUrl, updatedAt: input.now }).where(eq(users.id, input.userId))
  return findUser(db, input.userId)
}
