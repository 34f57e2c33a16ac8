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
/** Who cancelled a booking: the person, or an admin (with a reason the person is shown). */
export const bookingCancellers = ['user', 'admin'] as const
export type BookingCanceller = (typeof bookingCancellers)[number]
/** What became of a booking's reminder (`unknown`: the send may have arrived; never repeated). */
export const bookingReminderStates = ['none', 'pending', 'sent', 'failed', 'unknown'] as const
export type BookingReminderState = (typeof bookingReminderStates)[number]
/** The subscribe messages a person can accept at booking (SPEC §5 WECHAT_TEMPLATES). */
export const subscribeKinds = ['reminder', 'cancelled'] as const
export type SubscribeKindName = (typeof subscribeKinds)[number]
export const CANCEL_REASON_MAX = 200
export const EXPORT_MAX_DAYS = 366

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
  'booking.cancel',
  'bookings.export',
  'slot.update',
  'slot.cancel',
  'settings.update',
  'admin.create',
  'admin.login',
  'admin.loginFailed',
  'admin.logout',
  'admin.passwordChange',
] as const
export type AuditAction = (typeof auditActions)[number]
