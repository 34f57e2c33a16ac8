import type { AdminUser, MiniappUser } from '@yuyue/contracts'
import { maskMobile } from '@yuyue/contracts'
import type { UserRow } from '../../db/schema'

export function toMiniappUser(row: UserRow): MiniappUser {
  return {
    id: row.id,
    role: row.role,
    nickname: row.nickname,
    avatarUrl: row.avatarUrl,
    phone:
      row.mobile && row.countryCode ? { countryCode: row.countryCode, masked: maskMobile(row.mobile) } : null,
    createdAt: row.createdAt.toISOString(),
  }
}

export function toAdminUser(row: UserRow): AdminUser {
  return {
    id: row.id,
    role: row.role,
    nickname: row.nickname,
    avatarUrl: row.avatarUrl,
    mobile: row.mobile,
    countryCode: row.countryCode,
    unionid: row.unionid,
    isDeleted: row.isDeleted,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  }
}
