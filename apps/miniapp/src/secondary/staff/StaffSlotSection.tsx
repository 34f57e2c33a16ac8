import { Button, View } from '@tarojs/components'
import type { StaffBookingEntry, StaffSlot } from '@yuyue/contracts'
import { venueClock } from '@/utils/venueTime'
import { canUndo } from './staffDay'

const STATUS: Record<StaffBookingEntry['status'], { label: string; tone: string }> = {
  booked: { label: '待签到', tone: 'orange' },
  checked_in: { label: '已签到', tone: 'blue' },
  cancelled: { label: '已取消', tone: 'grey' },
}

interface Props {
  entry: StaffSlot
  /** when the list was loaded (ms): undo is offered for check-ins less than ten minutes old */
  now: number
  onCheckIn: (booking: StaffBookingEntry) => void
  onUndo: (booking: StaffBookingEntry) => void
}

/** One slot of the day and the people booked into it, each with a check-in button. */
export default function StaffSlotSection({ entry, now, onCheckIn, onUndo }: Props) {
  const { slot, bookings } = entry
  return (
    <View className="staff-slot" data-slot-id={slot.id}>
      <View className="section-title staff-slot__head">
        <View>
          {venueClock(slot.startsAt)} - {venueClock(slot.endsAt)} {slot.title}
        </View>
        <View>
          已约 {slot.booked}/{slot.capacity}
        </View>
      </View>
      <View className="cells">
        {bookings.length === 0 ? (
          <View className="cell">
            <View className="cell__body cell__desc">暂无预约</View>
          </View>
        ) : (
          bookings.map((booking) => (
            <View key={booking.id} className="cell" data-booking-id={booking.id}>
              <View className="cell__body">
                <View className="cell__title">{booking.user.nickname || '微信用户'}</View>
                <View className="cell__desc">{booking.user.phoneMasked ?? '未绑定手机号'}</View>
              </View>
              <View className={`tag tag--${STATUS[booking.status].tone}`}>
                {STATUS[booking.status].label}
              </View>
              {booking.status === 'booked' ? (
                <Button className="mini-btn" type="primary" size="mini" onClick={() => onCheckIn(booking)}>
                  签到
                </Button>
              ) : null}
              {canUndo(booking, now) ? (
                <Button className="mini-btn" size="mini" onClick={() => onUndo(booking)}>
                  撤销签到
                </Button>
              ) : null}
            </View>
          ))
        )}
      </View>
    </View>
  )
}
