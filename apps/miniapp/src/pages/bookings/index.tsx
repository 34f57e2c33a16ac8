import { View } from '@tarojs/components'
import { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import type { Booking } from '@yuyue/contracts'
import { useRef } from 'react'
import BookingCard from '@/components/BookingCard'
import PageState from '@/components/PageState'
import PrivacyPopup from '@/components/PrivacyPopup'
import ReminderLine from '@/components/ReminderLine'
import SessionGate from '@/components/SessionGate'
import { routes } from '@/routes'
import { api, platform } from '@/services'
import { alreadyShown, describeError } from '@/services/apiError'
import { addBookingToCalendar } from '@/services/calendar'
import { setReminder } from '@/services/reminders'
import { slotWhen } from '@/utils/venueTime'
import { useMyBookings } from './useMyBookings'

async function cancel(booking: Booking, reload: () => Promise<void>) {
  const confirmed = await platform.showModal({
    title: '取消预约',
    content: `确定取消 ${slotWhen(booking.slot.startsAt, booking.slot.endsAt)} 的「${booking.slot.title}」吗？`,
    confirmText: '取消预约',
    cancelText: '再想想',
  })
  if (!confirmed) return
  try {
    await api.cancelBooking(booking.id)
    platform.showToast('已取消', 'success')
  } catch (error) {
    if (!alreadyShown(error)) platform.showToast(describeError(error))
  }
  await reload()
}

function MyBookings() {
  const { state, reload, loadMore } = useMyBookings()
  const shownBefore = useRef(false)
  useDidShow(() => {
    if (shownBefore.current) void reload()
    shownBefore.current = true
  })
  usePullDownRefresh(() => {
    void reload().finally(() => platform.stopPullDownRefresh())
  })
  useReachBottom(() => void loadMore())

  if (state.status === 'loading') return <PageState kind="loading" />
  if (state.status === 'error')
    return (
      <PageState kind="error" message={state.message} actionText="重新加载" onAction={() => void reload()} />
    )
  if (state.items.length === 0)
    return (
      <PageState
        kind="empty"
        message="还没有预约"
        actionText="去预约"
        onAction={() => void platform.switchTab(routes.home)}
      />
    )
  const now = Date.now()
  return (
    <View>
      {state.items.map((booking) => (
        <BookingCard
          key={booking.id}
          booking={booking}
          now={now}
          onCancel={(b) => void cancel(b, reload)}
          onAddToCalendar={(b) => void addBookingToCalendar(b)}
        >
          <ReminderLine booking={booking} now={now} onSetReminder={(b) => void setReminder(b, reload)} />
        </BookingCard>
      ))}
      <View className="section-title" style={{ textAlign: 'center' }}>
        {state.loadingMore ? '加载中…' : state.items.length >= state.total ? '没有更多了' : ''}
      </View>
    </View>
  )
}

export default function BookingsPage() {
  return (
    <View className="page">
      <SessionGate>{() => <MyBookings />}</SessionGate>
      <PrivacyPopup />
    </View>
  )
}
