import Type, { type Static } from 'typebox'
import {
  bookingCancellers,
  bookingReminderStates,
  bookingStatuses,
  NICKNAME_MAX,
  subscribeKinds,
} from '../vocabulary'
import { Id, IdParams, Instant, LocalDate, MiniappRoleSchema, Nullable, Paged, PageQuery } from './common'

// ---- people ---------------------------------------------------------------------------------

export const PhoneView = Type.Object({
  countryCode: Type.String({ examples: ['86'] }),
  masked: Type.String({ examples: ['138****8000'] }),
})
export type PhoneView = Static<typeof PhoneView>

/** A person as the mini-program sees them: never the full number, never WeChat identifiers. */
export const MiniappUser = Type.Object({
  id: Id,
  role: MiniappRoleSchema,
  nickname: Nullable(Type.String()),
  avatarUrl: Nullable(Type.String()),
  phone: Nullable(PhoneView),
  createdAt: Instant,
})
export type MiniappUser = Static<typeof MiniappUser>

export const AuthResult = Type.Object({
  token: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds' }),
  user: MiniappUser,
})
export type AuthResult = Static<typeof AuthResult>

export const WxLoginBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 128, description: 'the code from wx.login' }),
    appId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type WxLoginBody = Static<typeof WxLoginBody>

export const PhoneBindBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'e.detail.code of the getPhoneNumber button',
    }),
  },
  { additionalProperties: false },
)
export type PhoneBindBody = Static<typeof PhoneBindBody>

export const MeResponse = Type.Object({ user: MiniappUser })
export type MeResponse = Static<typeof MeResponse>

/**
 * `POST /api/me/profile`: the nickname, sent once WeChat's review of `<input type="nickname">`
 * passed. The avatar changes only through its upload, so no URL of the client's choosing is kept.
 */
export const ProfileBody = Type.Object(
  {
    nickname: Type.String({
      minLength: 1,
      maxLength: NICKNAME_MAX,
      // something visible, and no control characters
      pattern: '^(?=.*\\S)[^\\u0000-\\u001f\\u007f]+$',
    }),
  },
  { additionalProperties: false },
)
export type ProfileBody = Static<typeof ProfileBody>

/** `DELETE /api/me`: the account is erased (SPEC §4). */
export const AccountDeletedResponse = Type.Object({ ok: Type.Literal(true) })
export type AccountDeletedResponse = Static<typeof AccountDeletedResponse>

// ---- slots and bookings ---------------------------------------------------------------------

export const SlotsQuery = Type.Object({ date: Type.Optional(LocalDate) }, { additionalProperties: false })
export type SlotsQuery = Static<typeof SlotsQuery>

export const SlotView = Type.Object({
  id: Id,
  startsAt: Instant,
  endsAt: Instant,
  title: Type.String(),
  capacity: Type.Integer({ minimum: 1 }),
  booked: Type.Integer({ minimum: 0 }),
  available: Type.Integer({ minimum: 0 }),
  myBookingId: Nullable(Id),
  /** when the slot lies beyond the booking window: the instant it opens; null once open */
  opensAt: Nullable(Instant),
})
export type SlotView = Static<typeof SlotView>

export const SlotsResponse = Type.Object({ date: LocalDate, items: Type.Array(SlotView) })
export type SlotsResponse = Static<typeof SlotsResponse>

export const BookingStatusSchema = Type.Enum(bookingStatuses)

export const SlotSummary = Type.Object({ id: Id, startsAt: Instant, endsAt: Instant, title: Type.String() })
export type SlotSummary = Static<typeof SlotSummary>

export const Booking = Type.Object({
  id: Id,
  status: BookingStatusSchema,
  createdAt: Instant,
  cancelledAt: Nullable(Instant),
  checkedInAt: Nullable(Instant),
  cancelledBy: Nullable(Type.Enum(bookingCancellers)),
  cancelReason: Nullable(Type.String()),
  reminder: Type.Enum(bookingReminderStates),
  slot: SlotSummary,
})
export type Booking = Static<typeof Booking>

export const BookingResponse = Type.Object({ booking: Booking })
export type BookingResponse = Static<typeof BookingResponse>

export const CreateBookingBody = Type.Object({ slotId: Id }, { additionalProperties: false })
export type CreateBookingBody = Static<typeof CreateBookingBody>

export const MyBookingsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false })
export type MyBookingsQuery = Static<typeof MyBookingsQuery>

/** Upcoming bookings first (soonest first), then past ones (latest first). */
export const MyBookingsResponse = Paged(Booking)
export type MyBookingsResponse = Static<typeof MyBookingsResponse>

export const BookingIdParams = IdParams

/** What `wx.requestSubscribeMessage` answered `accept` for, by kind (SPEC §4). */
export const SubscriptionsBody = Type.Object(
  { accepted: Type.Array(Type.Enum(subscribeKinds), { maxItems: subscribeKinds.length }) },
  { additionalProperties: false },
)
export type SubscriptionsBody = Static<typeof SubscriptionsBody>

// ---- the staff booking view -----------------------------------------------------------------

export const StaffBookingsQuery = SlotsQuery
export type StaffBookingsQuery = Static<typeof StaffBookingsQuery>

export const StaffBookingEntry = Type.Object({
  id: Id,
  status: BookingStatusSchema,
  createdAt: Instant,
  checkedInAt: Nullable(Instant),
  user: Type.Object({ nickname: Nullable(Type.String()), phoneMasked: Nullable(Type.String()) }),
})
export type StaffBookingEntry = Static<typeof StaffBookingEntry>

export const StaffSlot = Type.Object({
  slot: Type.Object({
    id: Id,
    startsAt: Instant,
    endsAt: Instant,
    title: Type.String(),
    capacity: Type.Integer(),
    booked: Type.Integer(),
  }),
  bookings: Type.Array(StaffBookingEntry),
})
export type StaffSlot = Static<typeof StaffSlot>

export const StaffBookingsResponse = Type.Object({ date: LocalDate, slots: Type.Array(StaffSlot) })
export type StaffBookingsResponse = Static<typeof StaffBookingsResponse>

/** GET /api/config: what every client needs before showing a time (no token needed). */
export const BookingRules = Type.Object(
  {
    bookingWindowDays: Type.Integer({ minimum: 1, maximum: 366 }),
    cancelCutoffMinutes: Type.Integer({ minimum: 0, maximum: 10_080 }),
    maxActivePerDay: Type.Integer({ minimum: 0, maximum: 100, description: '0 = no limit' }),
    checkInOpensMinutesBefore: Type.Integer({ minimum: 0, maximum: 1440 }),
  },
  { additionalProperties: false },
)
export type BookingRules = Static<typeof BookingRules>

export const AppConfigResponse = Type.Object({
  timeZone: Type.String(),
  subscribeTemplates: Type.Object({
    reminder: Type.Optional(Type.String()),
    cancelled: Type.Optional(Type.String()),
  }),
  ...BookingRules.properties,
})
export type AppConfigResponse = Static<typeof AppConfigResponse>
