import type { AdminAccount, AdminPasswordBody } from '@yuyue/contracts'
import { type Database, inTransaction, isDuplicateEntry } from '../../db/client'
import {
  adminAccountById,
  adminByUsername,
  endAdminSessions,
  insertAdmin,
  recordAdminLogin,
  setAdminPasswordHash,
} from '../../db/queries/admins'
import type { AdminAccountRow } from '../../db/schema'
import { AppError } from '../../errors'
import { writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { DECOY_HASH, hashPassword, verifyPassword } from './password'
import { MIN_PASSWORD_LENGTH, passwordWeakness } from './passwordPolicy'
import { isValidUsername, normaliseUsername, USERNAME_RULE } from './usernames'

export interface AdminLoginAttempt {
  username: string
  password: string
  /** the client's address, for the audit log */
  ip: string
}

/** What slows guessing, told which account an attempt is for (`LoginThrottle` in the app). */
export interface LoginGuard {
  /** throws (429) when this attempt must wait */
  before(account: string): Promise<void>
  failed(account: string): Promise<void>
  succeeded(account: string): Promise<void>
}

/**
 * A dashboard login. The guard hears of the attempt before the password is checked, keyed on the
 * account found (however its name was spelt), else on the normalised name; and of its outcome.
 * Every outcome is written to the audit log.
 */
export async function verifyAdminLogin(
  deps: Pick<DomainDeps, 'db' | 'now'>,
  attempt: AdminLoginAttempt,
  guard: LoginGuard,
): Promise<AdminAccountRow> {
  const username = normaliseUsername(attempt.username)
  const account = await adminByUsername(deps.db, username)
  const key = account ? `account:${account.id}` : `name:${username}`
  await guard.before(key)
  const valid = await verifyPassword(attempt.password, account?.passwordHash ?? DECOY_HASH)
  await (account && valid ? guard.succeeded(key) : guard.failed(key))
  await inTransaction(deps.db, async (tx) => {
    if (account && valid) {
      await recordAdminLogin(tx, account.id, deps.now())
      await writeAudit(tx, {
        actor: { type: 'admin', id: account.id, name: account.username },
        action: 'admin.login',
        target: `admin:${account.id}`,
        detail: { ip: attempt.ip },
      })
    } else {
      await writeAudit(tx, {
        actor: { type: 'system' },
        action: 'admin.loginFailed',
        target: account ? `admin:${account.id}` : `username:${username.slice(0, 64)}`,
        detail: { ip: attempt.ip },
      })
    }
  })
  if (!account || !valid) throw new AppError('BAD_CREDENTIALS')
  return account
}

export function toAdminAccount(row: AdminAccountRow): AdminAccount {
  return { id: row.id, username: row.username }
}

/** Ends every token the admin holds (`POST /api/admin/auth/logout`). */
export async function logOutAdmin(db: Database, admin: { adminId: number; username: string }): Promise<void> {
  await inTransaction(db, async (tx) => {
    await endAdminSessions(tx, admin.adminId)
    await writeAudit(tx, {
      actor: { type: 'admin', id: admin.adminId, name: admin.username },
      action: 'admin.logout',
      target: `admin:${admin.adminId}`,
    })
  })
}

const WEAKNESS_MESSAGES = {
  tooShort: `新密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符`,
  published: '新密码过于常见(演示或测试密码),请换一个',
} as const

/**
 * An admin changes their own password (`POST /api/admin/auth/password`): the current one must be
 * right, the new one strong enough; every token the admin holds ends, this one included.
 */
export async function changeAdminPassword(
  db: Database,
  admin: { adminId: number; username: string },
  body: AdminPasswordBody,
): Promise<void> {
  const account = await adminAccountById(db, admin.adminId)
  if (!account || !(await verifyPassword(body.currentPassword, account.passwordHash)))
    throw new AppError('BAD_CREDENTIALS', '当前密码不正确')
  const weakness = passwordWeakness(body.newPassword)
  if (weakness) throw new AppError('VALIDATION_FAILED', WEAKNESS_MESSAGES[weakness])
  const passwordHash = await hashPassword(body.newPassword)
  await inTransaction(db, async (tx) => {
    await setAdminPasswordHash(tx, account.id, passwordHash)
    await endAdminSessions(tx, account.id)
    await writeAudit(tx, {
      actor: { type: 'admin', id: account.id, name: account.username },
      action: 'admin.passwordChange',
      target: `admin:${account.id}`,
    })
  })
}

/**
 * Creates an admin unless one with that name exists (then nothing changes: a restart with
 * ADMIN_PASSWORD set never resets a password someone changed). Returns whether it was created.
 */
export async function ensureAdmin(db: Database, username: string, password: string): Promise<boolean> {
  const name = normaliseUsername(username)
  if (!isValidUsername(name)) throw new AppError('VALIDATION_FAILED', `username must be ${USERNAME_RULE}`)
  if (await adminByUsername(db, name)) return false
  const passwordHash = await hashPassword(password)
  try {
    await inTransaction(db, async (tx) => {
      const id = await insertAdmin(tx, { username: name, passwordHash })
      await writeAudit(tx, {
        actor: { type: 'system' },
        action: 'admin.create',
        target: `admin:${id}`,
        detail: { username: name },
      })
    })
    return true
  } catch (error) {
    // another instance started at the same moment and created it
    if (isDuplicateEntry(error)) return false
    throw error
  }
}

/**
 * Sets a new password for an existing admin, or creates the admin (the CLI). Tokens issued under
 * the old password end.
 */
export async function setAdminPassword(
  db: Database,
  username: string,
  password: string,
): Promise<'created' | 'updated'> {
  if (await ensureAdmin(db, username, password)) return 'created'
  const account = await adminByUsername(db, normaliseUsername(username))
  if (!account) throw new Error(`admin ${username} vanished while its password was set`)
  const passwordHash = await hashPassword(password)
  await inTransaction(db, async (tx) => {
    await setAdminPasswordHash(tx, account.id, passwordHash)
    await endAdminSessions(tx, account.id)
    await writeAudit(tx, {
      actor: { type: 'system' },
      action: 'admin.passwordChange',
      target: `admin:${account.id}`,
    })
  })
  return 'updated'
}
