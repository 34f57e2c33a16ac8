import { CHECK_IN_UNDO_MINUTES, type StaffBookingEntry, type StaffSlot } from '@yuyue/contracts'

export interface DayTotals {
  /** bookings holding a place: waiting or checked in */
  booked: number
  checkedIn: number
  /** booked and not (yet) checked in */
  notArrived: number
}

/** The day's totals for the staff view's header, cancelled bookings left out. */
export function dayTotals(slots: readonly StaffSlot[]): DayTotals {
  let checkedIn = 0
  let notArrived = 0
  for (const { bookings } of slots) {
    for (const booking of bookings) {
      if (booking.status === 'checked_in') checkedIn++
      else if (booking.status === 'booked') notArrived++
    }
  }
  return { booked: checkedIn + notArrived, checkedIn, notArrived }
}

/**
 * The day's bookings whose person matches: part of the nickname, or digits of the phone's tail
 * (staff see the number masked, so only its last digits can be asked for). Slots without a
 * match are left out; an empty query keeps everything.
 */
export function filterDay(slots: readonly StaffSlot[], query: string): StaffSlot[] {
  const wanted = query.trim().toLowerCase()
  if (!wanted) return [...slots]
  const digits = /^\d{1,4}$/.test(wanted)
  const matches = (entry: StaffBookingEntry) => {
    if (entry.user.nickname?.toLowerCase().includes(wanted)) return true
    return digits && (entry.user.phoneMasked ?? '').endsWith(wanted)
  }
  return slots
    .map((slot) => ({ ...slot, bookings: slot.bookings.filter(matches) }))
    .filter((slot) => slot.bookings.length > 0)
}

/** Whether staff may still take back this check-in (the API allows CHECK_IN_UNDO_MINUTES). */
export function canUndo(entry: Pick<StaffBookingEntry, 'status' | 'checkedInAt'>, now: number): boolean {
  if (entry.status !== 'checked_in' || !entry.checkedInAt) return false
  return now - new Date(entry.checkedInAt).getTime() < CHECK_IN_UNDO_MINUTES * 60_000
}
