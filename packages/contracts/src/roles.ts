/**
 * Roles and what each may do. Mini-program people are `user` or `staff` (decided by the staff
 * directory, never by the client); dashboard accounts are `admin`. Routes declare the permission
 * they need and the API's guard checks it against the caller's current role.
 */
export const miniappRoles = ['user', 'staff'] as const
export type MiniappRole = (typeof miniappRoles)[number]
export type Role = MiniappRole | 'admin'

export const permissions = [
  'slots.read',
  'bookings.create',
  'bookings.readOwn',
  'bookings.cancelOwn',
  'profile.read',
  'profile.update',
  'account.delete',
  'phone.bind',
  'staffBookings.read',
  'staffBookings.checkIn',
  'admin.users.read',
  'admin.users.update',
  'admin.staff.read',
  'admin.staff.write',
  'admin.slots.read',
  'admin.slots.write',
  'admin.audit.read',
  'admin.bookings.read',
  'admin.bookings.write',
  'admin.settings.read',
  'admin.settings.write',
] as const
export type Permission = (typeof permissions)[number]

const userPermissions = [
  'slots.read',
  'bookings.create',
  'bookings.readOwn',
  'bookings.cancelOwn',
  'profile.read',
  'profile.update',
  'account.delete',
  'phone.bind',
] as const satisfies readonly Permission[]

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  user: userPermissions,
  staff: [...userPermissions, 'staffBookings.read', 'staffBookings.checkIn'],
  admin: permissions.filter((p) => p.startsWith('admin.')),
}

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission)
}

/** Token audiences: a token of one audience is refused by the other's routes. */
export const audiences = ['miniapp', 'admin'] as const
export type Audience = (typeof audiences)[number]
