import { View } from '@tarojs/components'
import { usePullDownRefresh } from '@tarojs/taro'
import type { StaffBookingEntry } from '@yuyue/contracts'
import { useMemo, useState } from 'react'
import ListStates from '@/components/PageState/ListStates'
import SessionGate from '@/components/SessionGate'
import { routes } from '@/routes'
import { api, platform } from '@/services'
import { alreadyShown, describeError } from '@/services/apiError'
import { addDays, monthDay, relativeDayName, venueDate } from '@/utils/venueTime'
import StaffSlotSection from './StaffSlotSection'
import { useStaffDay } from './useStaffDay'
import './index.scss'

async function checkIn(booking: StaffBookingEntry, reload: () => Promise<void>) {
  try {
    await api.checkIn(booking.id)
    platform.showToast('签到成功', 'success')
  } catch (error) {
    if (!alreadyShown(error)) platform.showToast(describeError(error))
  }
  await reload()
}

function StaffDay() {
  const today = useMemo(() => venueDate(Date.now()), [])
  const [date, setDate] = useState(today)
  const { state, reload } = useStaffDay(date)
  usePullDownRefresh(() => {
    void reload().finally(() => platform.stopPullDownRefresh())
  })

  return (
    <View>
      <View className="staff-days">
        <View className="staff-days__step" onClick={() => setDate(addDays(date, -1))}>
          ‹ 前一天
        </View>
        <View className="staff-days__current" onClick={() => setDate(today)}>
          <View>
            {monthDay(date)} {relativeDayName(date, today)}
          </View>
          {date !== today ? <View className="staff-days__today">回到今天</View> : null}
        </View>
        <View className="staff-days__step" onClick={() => setDate(addDays(date, 1))}>
          后一天 ›
        </View>
      </View>
      <ListStates state={state} emptyMessage="当天没有预约时段" onReload={() => void reload()} />
      {state.status === 'ready'
        ? state.data.map((entry) => (
            <StaffSlotSection key={entry.slot.id} entry={entry} onCheckIn={(b) => void checkIn(b, reload)} />
          ))
        : null}
      <View className="staff-links">
        <View className="staff-links__item" onClick={() => void platform.reLaunch(routes.home)}>
          去预约
        </View>
        <View className="staff-links__item" onClick={() => void platform.reLaunch(routes.profile)}>
          我的
        </View>
      </View>
    </View>
  )
}

export default function StaffPage() {
  return (
    <View className="page staff">
      <SessionGate>{() => <StaffDay />}</SessionGate>
    </View>
  )
}
