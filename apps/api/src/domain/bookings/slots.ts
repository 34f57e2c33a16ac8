import {
  type AdminSlot,
  addDays,
  type CreateSlotsBody,
  dayRange,
  daysBetween,
  isRealDate,
  localDate,
  SLOTS_PER_REQUEST_MAX,
  type SlotView,
  zonedToUtc,
} from '@yuyue/contracts'
import { inTransaction } from '../../db/client'
import { touchSlotDays } from '../../db/queries/slotDays'
import {
  cancelBookedOfSlot,
  hasActiveBooking,
  insertSlots,
  liveSlotsStartingIn,
  liveSlotsWithBookingOf,
  lockLiveSlot,
  lockSlotsStartingIn,
  slotById,
  updateLiveSlot,
  withdrawSlot,
} from '../../db/queries/slots'
import type { SlotRow } from '../../db/schema'
import { AppError } from '../../errors'
import { type AuditActor, writeAudit } from '../audit/audit'
import type { Deps as DomainDeps } from '../deps'
import { bookingRules, opensAtOf } from '../settings/bookingRules'
import { noticeAdminCancel } from '../subscriptions/subscriptions'

type Deps = Pick<DomainDeps, 'db' | 'now' | 'timeZone'>

const DAY_MS = 86_400_000
const MAX_RANGE_DAYS = 366

/** What every view of a slot shows (the mini-program's, the staff's, the dashboard's). */
export function slotPlaces(row: SlotRow) {
  return {
    id: row.id,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    title: row.title,
    capacity: row.capacity,
    booked: row.booked,
  }
}

const placesLeft = (row: SlotRow) => Math.max(0, row.capacity - row.booked)

function toAdminSlot(row: SlotRow): AdminSlot {
  return { ...slotPlaces(row), available: placesLeft(row), createdAt: row.createdAt.toISOString() }
}

/** The day a request means: `date` if given (checked to be a real day), else today in the zone. */
export function requestedDay(deps: Deps, date: string | undefined): string {
  if (date === undefined) return localDate(deps.now(), deps.timeZone)
  if (!isRealDate(date)) throw new AppError('VALIDATION_FAILED', `没有这一天: ${date}`)
  return date
}

function localLabel(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant)
}

/**
 * Slots of one day in the zone, with the caller's own active booking of each; a slot beyond the
 * booking window is listed with the instant it opens.
 */
export async function slotsOfDay(deps: Deps, userId: number, date: string): Promise<SlotView[]> {
  const [rows, rules] = await Promise.all([
    liveSlotsWithBookingOf(deps.db, dayRange(date, deps.timeZone), userId),
    bookingRules(deps),
  ])
  const now = deps.now()
  return rows.map(({ slot, myBookingId }) => {
    const opensAt = opensAtOf(slot.startsAt, rules, deps.timeZone)
    return {
      ...slotPlaces(slot),
      available: placesLeft(slot),
      myBookingId: myBookingId ?? null,
      opensAt: opensAt > now ? opensAt.toISOString() : null,
    }
  })
}

export async function listAdminSlots(deps: Deps, query: { date?: string; from?: string; to?: string }) {
  const from = requestedDay(deps, query.from ?? query.date)
  const to = query.to ?? query.date ?? from
  if (!isRealDate(to) || daysBetween(from, to) < 0 || daysBetween(from, to) > MAX_RANGE_DAYS) {
    throw new AppError('VALIDATION_FAILED', 'to 必须是 from 之后一年以内的日期')
  }
  const start = dayRange(from, deps.timeZone).start
  const end = dayRange(to, deps.timeZone).end
  const rows = await liveSlotsStartingIn(deps.db, { start, end })
  return rows.map(toAdminSlot)
}

interface Candidate {
  startsAt: Date
  endsAt: Date
}

function candidatesOf(body: CreateSlotsBody, timeZone: string): Candidate[] {
  if (!isRealDate(body.from) || !isRealDate(body.to)) throw new AppError('VALIDATION_FAILED', '日期不存在')
  const days = daysBetween(body.from, body.to) + 1
  if (days < 1) throw new AppError('VALIDATION_FAILED', '结束日期不能早于开始日期')
  if (days > MAX_RANGE_DAYS) throw new AppError('VALIDATION_FAILED', '一次最多创建一年的时段')
  if (days * body.times.length > SLOTS_PER_REQUEST_MAX) {
    throw new AppError('VALIDATION_FAILED', `一次最多创建 ${SLOTS_PER_REQUEST_MAX} 个时段`)
  }
  const times = [...body.times].sort((a, b) => a.start.localeCompare(b.start))
  times.forEach((time, i) => {
    if (time.start === '24:00' || time.end <= time.start) {
      throw new AppError('VALIDATION_FAILED', `时间段 ${time.start}-${time.end} 的结束时间必须晚于开始时间`)
    }
    const previous = times[i - 1]
    if (previous && time.start < previous.end) {
      throw new AppError(
        'VALIDATION_FAILED',
        `时间段 ${previous.start}-${previous.end} 与 ${time.start}-${time.end} 重叠`,
      )
    }
  })
  const candidates: Candidate[] = []
  for (let d = 0; d < days; d++) {
    const date = addDays(body.from, d)
    for (const time of times) {
      const endDate = time.end === '24:00' ? addDays(date, 1) : date
      candidates.push({
        startsAt: zonedToUtc(date, time.start, timeZone),
        endsAt: zonedToUtc(endDate, time.end === '24:00' ? '00:00' : time.end, timeZone),
      })
    }
  }
  return candidates
}

/**
 * Creates date range × time ranges slots in one transaction. Its first write is to the rows of
 * its days (`touchSlotDays`), so two admins creating overlapping slots at once, on one server or
 * on two Galera nodes, cannot both succeed: one waits, or is aborted and retried, and then the
 * read of neighbouring slots sees the other's.
 */
export async function createSlots(
  deps: Deps,
  actor: AuditActor,
  body: CreateSlotsBody,
): Promise<AdminSlot[]> {
  const candidates = candidatesOf(body, deps.timeZone)
  const first = candidates[0]!.startsAt
  const last = candidates.at(-1)!.endsAt
  const title = body.title.trim()
  if (!title) throw new AppError('VALIDATION_FAILED', '标题不能为空')
  const now = deps.now()

  return inTransaction(deps.db, async (tx) => {
    await touchSlotDays(
      tx,
      candidates.map((c) => localDate(c.startsAt, deps.timeZone)),
    )
    // a slot lasts at most a day, so anything that overlaps starts after first - 1 day
    const neighbours = await lockSlotsStartingIn(tx, { start: new Date(first.getTime() - DAY_MS), end: last })
    for (const candidate of candidates) {
      const clash = neighbours.find(
        (n) => n.deletedAt === null && n.startsAt < candidate.endsAt && n.endsAt > candidate.startsAt,
      )
      if (clash) {
        throw new AppError(
          'SLOT_OVERLAP',
          `${localLabel(candidate.startsAt, deps.timeZone)} 的时段与已有时段 #${clash.id} (${localLabel(clash.startsAt, deps.timeZone)}) 重叠`,
        )
      }
    }
    const created = await insertSlots(
      tx,
      candidates.map((c) => ({ ...c, title, capacity: body.capacity, createdAt: now })),
    )
    await writeAudit(tx, {
      actor,
      action: 'slot.create',
      target: `slots:${created[0]?.id}-${created.at(-1)?.id}`,
      detail: {
        count: created.length,
        from: body.from,
        to: body.to,
        times: body.times,
        capacity: body.capacity,
        title,
      },
    })
    return created.map(toAdminSlot)
  })
}

/**
 * Removes a slot unless people still hold active (booked or checked-in) bookings for it and it has
 * not ended. The row is kept (soft delete) so past bookings keep their slot.
 */
export async function deleteSlot(deps: Deps, actor: AuditActor, slotId: number): Promise<void> {
  const now = deps.now()
  await inTransaction(deps.db, async (tx) => {
    const slot = await lockLiveSlot(tx, slotId)
    if (!slot) throw new AppError('NOT_FOUND', '时段不存在')
    // a checked-in person still holds their place until the slot ends
    if (slot.endsAt > now && (await hasActiveBooking(tx, slotId))) throw new AppError('SLOT_HAS_BOOKINGS')
    await withdrawSlot(tx, slotId, now)
    await writeAudit(tx, {
      actor,
      action: 'slot.delete',
      target: `slot:${slotId}`,
      detail: { title: slot.title, startsAt: slot.startsAt.toISOString(), booked: slot.booked },
    })
  })
}

/** Changes a slot's title or capacity; the capacity never below the places already booked. */
export async function updateSlot(
  deps: Deps,
  actor: AuditActor,
  slotId: number,
  change: { title?: string; capacity?: number },
): Promise<AdminSlot> {
  const title = change.title?.trim()
  if (change.title !== undefined && !title) throw new AppError('VALIDATION_FAILED', '标题不能为空')
  const wanted = {
    ...(title === undefined ? {} : { title }),
    ...(change.capacity === undefined ? {} : { capacity: change.capacity }),
  }
  return inTransaction(deps.db, async (tx) => {
    const before = await slotById(tx, slotId)
    if (!(await updateLiveSlot(tx, slotId, wanted))) {
      // the UPDATE decided; this read only says why it refused
      const slot = await slotById(tx, slotId)
      if (!slot || slot.deletedAt) throw new AppError('NOT_FOUND', '时段不存在')
      throw new AppError('CAPACITY_BELOW_BOOKED', `已有 ${slot.booked} 人预约,容量不能少于 ${slot.booked}`)
    }
    const after = (await slotById(tx, slotId))!
    await writeAudit(tx, {
      actor,
      action: 'slot.update',
      target: `slot:${slotId}`,
      detail: { before: { title: before?.title, capacity: before?.capacity }, after: wanted },
    })
    return toAdminSlot(after)
  })
}

/**
 * Withdraws a slot whatever it holds: its `booked` bookings are cancelled for the admin with the
 * reason (each person reads it in 我的预约), and it no longer blocks a new slot's time.
 */
export async function cancelSlot(
  deps: Deps,
  actor: AuditActor,
  slotId: number,
  reason: string,
): Promise<{ slot: AdminSlot; cancelledBookings: number }> {
  const why = reason.trim()
  if (!why) throw new AppError('VALIDATION_FAILED', '请填写取消原因')
  const now = deps.now()
  return inTransaction(deps.db, async (tx) => {
    const slot = await lockLiveSlot(tx, slotId)
    if (!slot) throw new AppError('NOT_FOUND', '时段不存在')
    const cancelled = await cancelBookedOfSlot(tx, slotId, { at: now, reason: why })
    await noticeAdminCancel(
      tx,
      cancelled.map((c) => c.bookingId),
      now,
    )
    await withdrawSlot(tx, slotId, now)
    await writeAudit(tx, {
      actor,
      action: 'slot.cancel',
      target: `slot:${slotId}`,
      detail: {
        title: slot.title,
        startsAt: slot.startsAt.toISOString(),
        reason: why,
        cancelledBookings: cancelled.map((c) => c.bookingId),
      },
    })
    const after = (await slotById(tx, slotId))!
    return { slot: toAdminSlot(after), cancelledBookings: cancelled.length }
  })
}
