import type { Booking } from '@yuyue/contracts'

/** Who cancelled a booking and why, as the person reads it: `管理员取消：场地维修`. */
export function cancellationNote(
  booking: Pick<Booking, 'status' | 'cancelledBy' | 'cancelReason'>,
): string | null {
  if (booking.status !== 'cancelled') return null
  const who =
    booking.cancelledBy === 'admin' ? '管理员取消' : booking.cancelledBy === 'user' ? '你已取消' : '已取消'
  return booking.cancelReason ? `${who}：${booking.cancelReason}` : who
}
