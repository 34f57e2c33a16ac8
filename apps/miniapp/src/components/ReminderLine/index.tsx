import { Button, View } from '@tarojs/components'
import type { Booking } from '@yuyue/contracts'
import { canSetReminder, reminderLabel } from '@/services/subscriptions'
import './index.scss'

interface Props {
  booking: Booking
  now: number
  /** 设置提醒: must open WeChat's sheet from the tap itself (SPEC §6b) */
  onSetReminder: (booking: Booking) => void
}

/** A booking's reminder: whether one is set or was sent, and 设置提醒 while one can still be. */
export default function ReminderLine({ booking, now, onSetReminder }: Props) {
  const label = reminderLabel(booking)
  if (label === null) return null
  return (
    <View className={`reminder-line reminder-line--${booking.reminder}`}>
      <View className="reminder-line__state">{label}</View>
      {canSetReminder(booking, now) ? (
        <Button className="mini-btn reminder-line__set" size="mini" onClick={() => onSetReminder(booking)}>
          设置提醒
        </Button>
      ) : null}
    </View>
  )
}
