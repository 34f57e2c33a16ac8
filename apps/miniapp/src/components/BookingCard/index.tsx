import { Button, View } from '@tarojs/components'
import type { Booking } from '@yuyue/contracts'
import { slotWhen } from '@/utils/shanghaiTime'
import './index.scss'

const STATUS: Record<Booking['status'], { label: string; tone: string }> = {
  booked: { label: '已预约', tone: 'green' },
  cancelled: { label: '已取消', tone: 'grey' },
  checked_in: { label: '已签到', tone: 'blue' },
}

interface Props {
  booking: Booking
  now: number
  onCancel: (booking: Booking) => void
  onAddToCalendar: (booking: Booking) => void
}

/** A booking of mine: when, what, its status, and what can still be done with it. */
export default function BookingCard({ booking, now, onCancel, onAddToCalendar }: Props) {
  const status = STATUS[booking.status]
  const upcoming = new Date(booking.slot.startsAt).getTime() > now
  const active = booking.status === 'booked' && upcoming
  return (
    <View className="booking-card" data-booking-id={booking.id}>
      <View className="booking-card__head">
        <View className="booking-card__title">{booking.slot.title}</View>
        <View className={`tag tag--${active || booking.status !== 'booked' ? status.tone : 'grey'}`}>
          {booking.status === 'booked' && !upcoming ? '已过期' : status.label}
        </View>
      </View>
      <View className="booking-card__when">{slotWhen(booking.slot.startsAt, booking.slot.endsAt)}</View>
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
