import { Button, View } from '@tarojs/components'
import type { Booking } from '@yuyue/contracts'
import type { ReactNode } from 'react'
import { slotPhase, slotWhen } from '@/utils/venueTime'
import './index.scss'

const STATUS: Record<Booking['status'], { label: string; tone: string }> = {
  booked: { label: '已预约', tone: 'green' },
  cancelled: { label: '已取消', tone: 'grey' },
  checked_in: { label: '已签到', tone: 'blue' },
}

function badgeOf(status: Booking['status'], phase: ReturnType<typeof slotPhase>) {
  if (status !== 'booked' || phase === 'upcoming') return STATUS[status]
  // a place still held once the slot has begun: to be checked in while it runs, missed after
  return phase === 'started' ? { label: '待签到', tone: 'green' } : { label: '已过期', tone: 'grey' }
}

interface Props {
  booking: Booking
  now: number
  onCancel: (booking: Booking) => void
  onAddToCalendar: (booking: Booking) => void
  /** lines of other concerns under the time (the reminder) */
  children?: ReactNode
}

/** A booking of mine: when, what, its status, and what can still be done with it. */
export default function BookingCard({ booking, now, onCancel, onAddToCalendar, children }: Props) {
  const phase = slotPhase(booking.slot, now)
  const active = booking.status === 'booked' && phase === 'upcoming'
  const badge = badgeOf(booking.status, phase)
  return (
    <View className="booking-card" data-booking-id={booking.id}>
      <View className="booking-card__head">
        <View className="booking-card__title">{booking.slot.title}</View>
        <View className={`tag tag--${badge.tone}`}>{badge.label}</View>
      </View>
      <View className="booking-card__when">{slotWhen(booking.slot.startsAt, booking.slot.endsAt)}</View>
      {children}
      {active ? (
        <View className="booking-card__actions">
          <Button className="mini-btn" size="mini" onClick={() => onAddToCalendar(booking)}>
            添加到手机日历
          </Button>
          <Button className="mini-btn booking-card__cancel" size="mini" onClick={() => onCancel(booking)}>
            取消预约
          </Button>
        </View>
      ) : null}
    </View>
  )
}
