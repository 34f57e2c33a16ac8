import type { AdminBooking, BookingReminderState } from '@yuyue/contracts'
import { Space, Tag, Typography } from 'antd'
import { useI18n } from '../../app/i18n'

const COLORS: Record<BookingReminderState, string> = {
  none: 'default',
  pending: 'processing',
  sent: 'success',
  failed: 'error',
  unknown: 'warning',
}

/** A booking's reminder: its state, and WeChat's reason when it failed. */
export function ReminderState({ booking }: { booking: Pick<AdminBooking, 'reminder' | 'reminderErrcode'> }) {
  const { t } = useI18n()
  const { reminder, reminderErrcode } = booking
  const reasonOf = (errcode: number) => {
    const known = t.bookings.reminderErrors[String(errcode)]
    return known ? `${known} (${errcode})` : t.bookings.reminderError(errcode)
  }
  return (
    <Space direction="vertical" size={0}>
      <Tag color={COLORS[reminder]}>{t.bookings.reminderStates[reminder]}</Tag>
      {reminder === 'failed' && reminderErrcode !== null && (
        <Typography.Text type="secondary">{reasonOf(reminderErrcode)}</Typography.Text>
      )}
    </Space>
  )
}
