import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  date,
  datetime,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core'

/**
 * Every table of the product (SPEC §3, §4). Times are UTC `DATETIME(3)`; the pool runs with
 * time_zone '+00:00' so the server and the driver agree. Ids are BIGINT read as JS numbers.
 */

const id = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey()
const ref = (name: string) => bigint(name, { mode: 'number', unsigned: true })
const utc = (name: string) => datetime(name, { mode: 'date', fsp: 3 })
const createdAt = () => utc('created_at').notNull().default(sql`(UTC_TIMESTAMP(3))`)

/** JSON kept as text: MariaDB's JSON is LONGTEXT and the driver would hand back strings anyway. */
const jsonText = customType<{ data: Record<string, unknown>; driverData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value) as Record<string, unknown>,
})

export const users = mysqlTable(
  'users',
  {
    id: id(),
    role: mysqlEnum('role', ['user', 'staff']).notNull().default('user'),
    nickname: varchar('nickname', { length: 64 }),
    avatarUrl: varchar('avatar_url', { length: 512 }),
    countryCode: varchar('country_code', { length: 4 }),
    mobile: varchar('mobile', { length: 20 }),
    /** the number read backwards, so its tail digits (手机尾号) are an index prefix */
    mobileReversed: varchar('mobile_reversed', { length: 20 }).generatedAlwaysAs(sql`(reverse(\`mobile\`))`, {
      mode: 'stored',
    }),
    /** compared by its bytes (utf8mb4_bin, set by migration 0001: drizzle cannot declare a collation) */
    unionid: varchar('unionid', { length: 64 }),
    isDeleted: boolean('is_deleted').notNull().default(false),
    /** bumped when the user is disabled: every token issued before is dead for good */
    tokenVersion: int('token_version', { unsigned: true }).notNull().default(1),
    createdAt: createdAt(),
    updatedAt: utc('updated_at').notNull().default(sql`(UTC_TIMESTAMP(3))`),
    lastLoginAt: utc('last_login_at'),
  },
  (t) => [
    uniqueIndex('uq_users_mobile').on(t.countryCode, t.mobile),
    uniqueIndex('uq_users_unionid').on(t.unionid),
    // admin search: phone prefix and nickname prefix, both index range scans
    index('ix_users_mobile').on(t.mobile),
    index('ix_users_mobile_reversed').on(t.mobileReversed),
    index('ix_users_nickname').on(t.nickname),
    index('ix_users_role').on(t.role),
    index('ix_users_deleted').on(t.isDeleted),
  ],
)

export const wechatIdentities = mysqlTable(
  'wechat_identities',
  {
    id: id(),
    /** WeChat's identifiers, compared by their bytes (utf8mb4_bin, set by migration 0001) */
    appId: varchar('app_id', { length: 32 }).notNull(),
    openid: varchar('openid', { length: 64 }).notNull(),
    unionid: varchar('unionid', { length: 64 }),
    userId: ref('user_id')
      .notNull()
      .references(() => users.id),
    /** WeChat's session_key: kept server-side only, never logged, never answered */
    sessionKey: varchar('session_key', { length: 64 }),
    createdAt: createdAt(),
    lastLoginAt: utc('last_login_at'),
  },
  (t) => [
    uniqueIndex('uq_identities_app_openid').on(t.appId, t.openid),
    index('ix_identities_openid').on(t.openid),
    index('ix_identities_unionid').on(t.unionid),
    index('ix_identities_user').on(t.userId),
  ],
)

export const staffDirectory = mysqlTable(
  'staff_directory',
  {
    id: id(),
    countryCode: varchar('country_code', { length: 4 }).notNull(),
    mobile: varchar('mobile', { length: 20 }).notNull(),
    /** the number read backwards, so its tail digits are an index prefix */
    mobileReversed: varchar('mobile_reversed', { length: 20 }).generatedAlwaysAs(sql`(reverse(\`mobile\`))`, {
      mode: 'stored',
    }),
    name: varchar('name', { length: 64 }),
    note: varchar('note', { length: 255 }),
    createdAt: createdAt(),
    updatedAt: utc('updated_at').notNull().default(sql`(UTC_TIMESTAMP(3))`),
  },
  (t) => [
    uniqueIndex('uq_staff_mobile').on(t.countryCode, t.mobile),
    index('ix_staff_mobile').on(t.mobile),
    index('ix_staff_mobile_reversed').on(t.mobileReversed),
    index('ix_staff_name').on(t.name),
  ],
)

/**
 * The two-character pieces of every nickname (kind `user`) and staff name (kind `staff`),
 * lower-cased, so a search for any part of a name of 2 characters or more is an index look-up
 * (MariaDB has no n-gram full-text parser). Written beside every write of a name.
 * `bigram` is compared by its bytes (utf8mb4_bin, set by migration 0002).
 */
export const nameBigrams = mysqlTable(
  'name_bigrams',
  {
    kind: mysqlEnum('kind', ['user', 'staff']).notNull(),
    bigram: varchar('bigram', { length: 2 }).notNull(),
    ownerId: ref('owner_id').notNull(),
  },
  // no index by owner: a writer deletes a name's pieces by the name before (the primary key)
  (t) => [primaryKey({ name: 'pk_name_bigrams', columns: [t.kind, t.bigram, t.ownerId] })],
)

export const adminAccounts = mysqlTable('admin_accounts', {
  id: id(),
  username: varchar('username', { length: 64 }).notNull().unique('uq_admin_username'),
  passwordHash: varchar('password_hash', { length: 255 }).notNull(),
  /** bumped by a logout or a password change: every token issued before is refused */
  tokenVersion: int('token_version', { unsigned: true }).notNull().default(0),
  createdAt: createdAt(),
  lastLoginAt: utc('last_login_at'),
})

/** Bytes as the driver hands them over; MEDIUMBLOB holds up to 16 MB. */
const mediumBlob = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'mediumblob' })

/**
 * One avatar per person, re-encoded without metadata, kept in the database so every instance
 * serves it (SPEC §8). `name` is the unguessable last part of its URL: a new upload replaces the
 * row and the name, so the old URL stops answering.
 */
export const avatars = mysqlTable('avatars', {
  userId: ref('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  name: varchar('name', { length: 64 }).notNull(),
  contentType: varchar('content_type', { length: 32 }).notNull(),
  bytes: mediumBlob('bytes').notNull(),
  updatedAt: utc('updated_at').notNull(),
})

export const auditLog = mysqlTable(
  'audit_log',
  {
    id: id(),
    actorType: mysqlEnum('actor_type', ['admin', 'user', 'staff', 'system']).notNull(),
    actorId: ref('actor_id'),
    actorName: varchar('actor_name', { length: 64 }),
    action: varchar('action', { length: 32 }).notNull(),
    target: varchar('target', { length: 128 }).notNull(),
    detail: jsonText('detail'),
    /** the chunks of one file's import share one entry: `staff.import:<importId>` */
    groupKey: varchar('group_key', { length: 96 }),
    createdAt: createdAt(),
  },
  (t) => [
    index('ix_audit_action').on(t.action),
    uniqueIndex('uq_audit_group').on(t.groupKey),
    // the dashboard's filters, each newest first
    index('ix_audit_actor').on(t.actorType, t.actorId),
    index('ix_audit_actor_name').on(t.actorType, t.actorName),
    index('ix_audit_created').on(t.createdAt),
  ],
)

export const slots = mysqlTable(
  'slots',
  {
    id: id(),
    startsAt: utc('starts_at').notNull(),
    endsAt: utc('ends_at').notNull(),
    title: varchar('title', { length: 64 }).notNull(),
    capacity: int('capacity', { unsigned: true }).notNull(),
    /** kept in step with active bookings inside the booking transaction; the capacity guard */
    booked: int('booked', { unsigned: true }).notNull().default(0),
    createdAt: createdAt(),
    /** soft delete: the bookings that referenced a removed slot keep their history */
    deletedAt: utc('deleted_at'),
  },
  (t) => [index('ix_slots_starts').on(t.startsAt), index('ix_slots_ends').on(t.endsAt)],
)

export const bookings = mysqlTable(
  'bookings',
  {
    id: id(),
    slotId: ref('slot_id')
      .notNull()
      .references(() => slots.id),
    userId: ref('user_id')
      .notNull()
      .references(() => users.id),
    status: mysqlEnum('status', ['booked', 'cancelled', 'checked_in']).notNull().default('booked'),
    /** 1 while the booking counts (booked or checked in), NULL once cancelled: see the unique key */
    activeFlag: tinyint('active_flag').generatedAlwaysAs(
      sql`(case when \`status\` = 'cancelled' then null else 1 end)`,
      {
        mode: 'stored',
      },
    ),
    createdAt: createdAt(),
    cancelledAt: utc('cancelled_at'),
    checkedInAt: utc('checked_in_at'),
    checkedInBy: ref('checked_in_by'),
    cancelledBy: mysqlEnum('cancelled_by', ['user', 'admin']),
    cancelReason: varchar('cancel_reason', { length: 200 }),
  },
  (t) => [
    // one active booking per person and slot, enforced by the database whatever the concurrency
    uniqueIndex('uq_bookings_active').on(t.slotId, t.userId, t.activeFlag),
    index('ix_bookings_user').on(t.userId, t.status),
    index('ix_bookings_slot').on(t.slotId, t.status),
  ],
)

/** The booking rules the admins set (SPEC §4 /api/admin/settings): one row, id 1. */
export const bookingSettings = mysqlTable('booking_settings', {
  id: tinyint('id', { unsigned: true }).primaryKey(),
  bookingWindowDays: int('booking_window_days', { unsigned: true }).notNull(),
  cancelCutoffMinutes: int('cancel_cutoff_minutes', { unsigned: true }).notNull(),
  maxActivePerDay: int('max_active_per_day', { unsigned: true }).notNull(),
  checkInOpensMinutesBefore: int('check_in_opens_minutes_before', { unsigned: true }).notNull(),
  updatedAt: utc('updated_at').notNull().default(sql`(UTC_TIMESTAMP(3))`),
})

/*
 * Rows that two transactions deciding on the same thing both write. A locking read does not
 * conflict across the nodes of a multi-primary Galera cluster, a write to the same key does: one
 * side is aborted at certification, runs again and then reads the other's commit (SPEC §8). On one
 * server the write's row lock makes the second wait instead. `changes` is bumped on every write, so
 * each is a real row change (an upsert that changes nothing replicates nothing).
 */

/** A phone number: written by whatever decides who holds it or whether it is staff. */
export const phoneNumbers = mysqlTable(
  'phone_numbers',
  {
    countryCode: varchar('country_code', { length: 4 }).notNull(),
    mobile: varchar('mobile', { length: 20 }).notNull(),
    changes: int('changes', { unsigned: true }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'pk_phone_numbers', columns: [t.countryCode, t.mobile] })],
)

/** A day in APP_TIMEZONE: written by every creation of slots on it (slots never cross a day). */
export const slotDays = mysqlTable('slot_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
  changes: int('changes', { unsigned: true }).notNull().default(0),
})

/**
 * A person's day in APP_TIMEZONE: written first by every booking while a per-day limit is set, so
 * two bookings by one person on one day conflict on every topology and the second counts the first.
 */
export const personDays = mysqlTable(
  'person_days',
  {
    userId: ref('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    changes: int('changes', { unsigned: true }).notNull().default(0),
  },
  (t) => [primaryKey({ name: 'pk_person_days', columns: [t.userId, t.day] })],
)

/**
 * One subscribe message owed to a person (issue 23): its booking and kind, when it is due, and
 * what became of it. `pending` with no due time is a `cancelled` accept held until an admin
 * cancels the booking. A claim is a conditional write (pending → sending, `claimed_by`), so on
 * any topology one instance alone sends it; a send left in `sending` past its lease is `unknown`
 * and never repeated (WeChat's send has no idempotency key). docs/decisions.md.
 */
export const subscribeDeliveries = mysqlTable(
  'subscribe_deliveries',
  {
    id: id(),
    bookingId: ref('booking_id')
      .notNull()
      .references(() => bookings.id),
    kind: mysqlEnum('kind', ['reminder', 'cancelled']).notNull(),
    /** the template the person accepted, and whom to: the identity that made the booking tap */
    templateId: varchar('template_id', { length: 64 }).notNull(),
    appId: varchar('app_id', { length: 32 }).notNull(),
    openid: varchar('openid', { length: 64 }).notNull(),
    state: mysqlEnum('state', ['pending', 'sending', 'sent', 'failed', 'unknown', 'cancelled'])
      .notNull()
      .default('pending'),
    dueAt: utc('due_at'),
    attempts: int('attempts', { unsigned: true }).notNull().default(0),
    lastErrcode: int('last_errcode'),
    /** the claim: which instance (and which of its rounds) is sending it, since when */
    claimedBy: varchar('claimed_by', { length: 96 }),
    claimedAt: utc('claimed_at'),
    settledAt: utc('settled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    // one message of each kind per booking, whatever the concurrency: never owed twice
    uniqueIndex('uq_deliveries_booking_kind').on(t.bookingId, t.kind),
    index('ix_deliveries_due').on(t.state, t.dueAt),
    index('ix_deliveries_claim').on(t.claimedBy),
  ],
)

export const schema = {
  users,
  wechatIdentities,
  staffDirectory,
  nameBigrams,
  adminAccounts,
  avatars,
  auditLog,
  slots,
  bookings,
  bookingSettings,
  phoneNumbers,
  slotDays,
  personDays,
  subscribeDeliveries,
}
export type UserRow = typeof users.$inferSelect
export type SlotRow = typeof slots.$inferSelect
export type BookingRow = typeof bookings.$inferSelect
export type AuditRow = typeof auditLog.$inferSelect
export type StaffRow = typeof staffDirectory.$inferSelect
export type AdminAccountRow = typeof adminAccounts.$inferSelect
export type AvatarRow = typeof avatars.$inferSelect
export type SubscribeDeliveryRow = typeof subscribeDeliveries.$inferSelect
