/**
 * Limits and closed vocabularies shared by every client. Kept apart from the schemas so a front
 * end that needs only these (the import preview, a status label) does not bundle TypeBox.
 */

export const STAFF_IMPORT_MAX_ROWS = 5000
export const STAFF_NAME_MAX = 64
export const STAFF_NOTE_MAX = 255
export const SLOTS_PER_REQUEST_MAX = 1000
export const NICKNAME_MAX = 32
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const

export const bookingStatuses = ['booked', 'cancelled', 'checked_in'] as const
export type BookingStatus = (typeof bookingStatuses)[number]

export const auditActions = [
  'staff.import',
  'staff.remove',
  'user.disable',
  'user.enable',
  'user.erase',
  'slot.create',
  'slot.delete',
  'phone.move',
  'booking.checkIn',
  'admin.create',
  'admin.login',
  'admin.loginFailed',
  'admin.logout',
  'admin.passwordChange',
] as const
export type AuditAction = (typeof auditActions)[number]
