import Type, { type Static } from 'typebox'
import { staffImportInvalidReasons } from '../errors'
import {
  auditActions,
  bookingCancellers,
  bookingReminderStates,
  CANCEL_REASON_MAX,
  STAFF_IMPORT_MAX_ROWS,
} from '../vocabulary'
import { Id, Instant, LocalDate, LocalTime, MiniappRoleSchema, Nullable, Paged, PageQuery } from './common'
import { BookingRules, BookingStatusSchema, SlotSummary } from './miniapp'

// ---- accounts -------------------------------------------------------------------------------

export const AdminLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type AdminLoginBody = Static<typeof AdminLoginBody>

export const AdminPasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type AdminPasswordBody = Static<typeof AdminPasswordBody>

/** `POST /api/admin/auth/logout` and `/password`: every token the admin held has ended. */
export const AdminSessionsEnded = Type.Object({ ok: Type.Literal(true) })
export type AdminSessionsEnded = Static<typeof AdminSessionsEnded>

export const AdminAccount = Type.Object({ id: Id, username: Type.String() })
export type AdminAccount = Static<typeof AdminAccount>

export const AdminLoginResponse = Type.Object({
  token: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds' }),
  admin: AdminAccount,
})
export type AdminLoginResponse = Static<typeof AdminLoginResponse>

// ---- users ----------------------------------------------------------------------------------

export const AdminUsersQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'phone (full or prefix), nickname prefix, or an exact openid',
      }),
    ),
    role: Type.Optional(MiniappRoleSchema),
    isDeleted: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AdminUsersQuery = Static<typeof AdminUsersQuery>

export const AdminUser = Type.Object({
  id: Id,
  role: MiniappRoleSchema,
  nickname: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  countryCode: Nullable(Type.String()),
  unionid: Nullable(Type.String()),
  isDeleted: Type.Boolean(),
  createdAt: Instant,
  lastLoginAt: Nullable(Instant),
})
export type AdminUser = Static<typeof AdminUser>

export const AdminUsersResponse = Paged(AdminUser)
export type AdminUsersResponse = Static<typeof AdminUsersResponse>

export const UpdateUserBody = Type.Object({ isDeleted: Type.Boolean() }, { additionalProperties: false })
export type UpdateUserBody = Static<typeof UpdateUserBody>

export const AdminStats = Type.Object({
  users: Type.Integer(),
  staff: Type.Integer(),
  disabledUsers: Type.Integer(),
  staffDirectory: Type.Integer(),
  todayBookings: Type.Integer(),
  date: LocalDate,
  /** subscribe messages (reminders and cancel notices) by state, all time */
  messages: Type.Object({
    pending: Type.Integer(),
    sent: Type.Integer(),
    failed: Type.Integer(),
    unknown: Type.Integer(),
  }),
})
export type AdminStats = Static<typeof AdminStats>

// ---- staff directory ------------------------------------------------------------------------

export const StaffQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery },
  { additionalProperties: false },
)
export type StaffQuery = Static<typeof StaffQuery>

export const StaffEntry = Type.Object({
  mobile: Type.String(),
  countryCode: Type.String(),
  name: Nullable(Type.String()),
  note: Nullable(Type.String()),
  userId: Nullable(Id),
  createdAt: Instant,
})
export type StaffEntry = Static<typeof StaffEntry>

export const StaffListResponse = Paged(StaffEntry)
export type StaffListResponse = Static<typeof StaffListResponse>

/**
 * Over-long names and notes are reported per row (NAME_TOO_LONG, NOTE_TOO_LONG), so the schema
 * only bounds them loosely; an empty or missing name/note leaves an existing entry's value alone.
 */
export const StaffImportRow = Type.Object(
  {
    mobile: Type.String({ maxLength: 64 }),
    name: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
)
export type StaffImportRow = Static<typeof StaffImportRow>

export const StaffImportBody = Type.Object(
  {
    rows: Type.Array(StaffImportRow, { minItems: 1, maxItems: STAFF_IMPORT_MAX_ROWS }),
    dryRun: Type.Optional(Type.Boolean()),
    importId: Type.Optional(
      Type.String({
        pattern: '^[\\w-]{8,64}$',
        description: 'one id for every chunk of one file: the audit log shows them as one import',
      }),
    ),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    fileInvalid: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'rows of the file the dashboard refused before sending (sent with the first chunk)',
      }),
    ),
  },
  { additionalProperties: false },
)
export type StaffImportBody = Static<typeof StaffImportBody>

export const StaffImportInvalidReasonSchema = Type.Enum(staffImportInvalidReasons)

export const StaffImportResult = Type.Object({
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  promoted: Type.Integer(),
  invalid: Type.Array(
    Type.Object({
      index: Type.Integer({ minimum: 0 }),
      mobile: Type.String(),
      reason: StaffImportInvalidReasonSchema,
    }),
  ),
  dryRun: Type.Boolean(),
})
export type StaffImportResult = Static<typeof StaffImportResult>

export const StaffMobileParams = Type.Object({ mobile: Type.String({ minLength: 1, maxLength: 32 }) })
export type StaffMobileParams = Static<typeof StaffMobileParams>

export const StaffRemoveResult = Type.Object({ removed: Type.Literal(true), demoted: Type.Integer() })
export type StaffRemoveResult = Static<typeof StaffRemoveResult>

// ---- slots ----------------------------------------------------------------------------------

export const AdminSlotsQuery = Type.Object(
  {
    date: Type.Optional(LocalDate),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
  },
  { additionalProperties: false },
)
export type AdminSlotsQuery = Static<typeof AdminSlotsQuery>

export const AdminSlot = Type.Object({
  id: Id,
  startsAt: Instant,
  endsAt: Instant,
  title: Type.String(),
  capacity: Type.Integer(),
  booked: Type.Integer(),
  available: Type.Integer(),
  createdAt: Instant,
})
export type AdminSlot = Static<typeof AdminSlot>

export const AdminSlotsResponse = Type.Object({ items: Type.Array(AdminSlot) })
export type AdminSlotsResponse = Static<typeof AdminSlotsResponse>

export const CreateSlotsBody = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    times: Type.Array(Type.Object({ start: LocalTime, end: LocalTime }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 48,
    }),
    capacity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    title: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
)
export type CreateSlotsBody = Static<typeof CreateSlotsBody>

// ---- audit ----------------------------------------------------------------------------------

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.Enum(auditActions)),
    actor: Type.Optional(
      Type.String({
        pattern: '^(admin:.{1,64}|(user|staff):\\d{1,20}|system)$',
        description: "an entry's `actor`: `admin:<username>`, `user:<id>`, `staff:<id>` or `system`",
      }),
    ),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuery>

/** The export takes the log's filters, without the page. */
export const AuditExportQuery = Type.Omit(AuditQuery, ['page', 'pageSize'], { additionalProperties: false })
export type AuditExportQuery = Static<typeof AuditExportQuery>

export const AuditEntry = Type.Object({
  id: Id,
  actor: Type.String({ description: '`admin:<username>`, `user:<id>`, `staff:<id>` or `system`' }),
  action: Type.Enum(auditActions),
  target: Type.String(),
  detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
  createdAt: Instant,
  actorName: Type.Optional(
    Nullable(Type.String({ description: 'who a `user:`/`staff:` actor is now: nickname and masked phone' })),
  ),
  targetName: Type.Optional(
    Nullable(
      Type.String({
        description:
          'what the target names now: a person (nickname, masked phone), a slot (title, local time), a booking (both)',
      }),
    ),
  ),
})
export type AuditEntry = Static<typeof AuditEntry>

export const AuditResponse = Paged(AuditEntry)
export type AuditResponse = Static<typeof AuditResponse>

// ---- slot changes ---------------------------------------------------------------------------

export const UpdateSlotBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateSlotBody = Static<typeof UpdateSlotBody>

export const CancelReasonBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: CANCEL_REASON_MAX }) },
  { additionalProperties: false },
)
export type CancelReasonBody = Static<typeof CancelReasonBody>

export const CancelSlotResult = Type.Object({
  slot: AdminSlot,
  cancelledBookings: Type.Integer({ minimum: 0 }),
})
export type CancelSlotResult = Static<typeof CancelSlotResult>

// ---- bookings -------------------------------------------------------------------------------

export const AdminBookingsQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    slotId: Type.Optional(Id),
    userId: Type.Optional(Id),
    status: Type.Optional(BookingStatusSchema),
    q: Type.Optional(
      Type.String({ maxLength: 64, description: 'as for users: phone, nickname prefix, openid' }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type AdminBookingsQuery = Static<typeof AdminBookingsQuery>

export const AdminBooking = Type.Object({
  id: Id,
  status: BookingStatusSchema,
  createdAt: Instant,
  checkedInAt: Nullable(Instant),
  cancelledBy: Nullable(Type.Enum(bookingCancellers)),
  cancelReason: Nullable(Type.String()),
  reminder: Type.Enum(bookingReminderStates),
  /** WeChat's errcode when the reminder failed (43101: no unused subscription, 47003: data) */
  reminderErrcode: Nullable(Type.Integer()),
  slot: SlotSummary,
  user: Type.Object({
    id: Id,
    nickname: Nullable(Type.String()),
    mobile: Nullable(Type.String()),
    countryCode: Nullable(Type.String()),
  }),
})
export type AdminBooking = Static<typeof AdminBooking>

export const AdminBookingsResponse = Paged(AdminBooking)
export type AdminBookingsResponse = Static<typeof AdminBookingsResponse>

export const BookingsExportQuery = Type.Object(
  {
    from: LocalDate,
    to: LocalDate,
    format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
    fullPhones: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type BookingsExportQuery = Static<typeof BookingsExportQuery>

// ---- booking rules --------------------------------------------------------------------------

export const BookingSettings = BookingRules
export type BookingSettings = Static<typeof BookingSettings>

/** The export's body: a file, sent as a stream (never serialised from this schema). */
export const BookingsExportFile = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' })
