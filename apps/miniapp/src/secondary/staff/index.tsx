import { Button, Input, View } from '@tarojs/components'
import { usePullDownRefresh } from '@tarojs/taro'
import { useMemo, useState } from 'react'
import ListStates from '@/components/PageState/ListStates'
import SessionGate from '@/components/SessionGate'
import { routes } from '@/routes'
import { platform } from '@/services'
import { addDays, monthDay, relativeDayName, venueDate } from '@/utils/venueTime'
import { confirmCheckIn, confirmUndo, scanAndCheckIn } from './checkInActions'
import StaffSlotSection from './StaffSlotSection'
import { dayTotals, filterDay } from './staffDay'
import { useStaffDay } from './useStaffDay'
import './index.scss'

function StaffDay() {
  const today = useMemo(() => venueDate(Date.now()), [])
  const [date, setDate] = useState(today)
  const { state, reload } = useStaffDay(date)
  const [query, setQuery] = useState('')
  const slots = state.status === 'ready' ? state.data : []
  const totals = useMemo(() => dayTotals(slots), [slots])
  const shown = useMemo(() => filterDay(slots, query), [slots, query])
  // one instant per render: every row judges its undo against the same clock
  const now = Date.now()
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
      <View className="staff-tools">
        <Button className="staff-tools__scan" type="primary" onClick={() => void scanAndCheckIn(reload)}>
          扫码签到
        </Button>
        <Input
          className="staff-tools__search"
          placeholder="搜索昵称或手机尾号"
          value={query}
          onInput={(event) => setQuery(event.detail.value)}
        />
      </View>
      {state.status === 'ready' ? (
        <View className="staff-totals">
          <View className="staff-totals__item">
            已预约 <View className="staff-totals__count">{totals.booked}</View>
          </View>
          <View className="staff-totals__item">
            已签到 <View className="staff-totals__count">{totals.checkedIn}</View>
          </View>
          <View className="staff-totals__item">
            未到 <View className="staff-totals__count">{totals.notArrived}</View>
          </View>
        </View>
      ) : null}
      <ListStates state={state} emptyMessage="当天没有预约时段" onReload={() => void reload()} />
      {state.status === 'ready' && query.trim() && shown.length === 0 ? (
        <View className="section-title">没有匹配“{query.trim()}”的预约</View>
      ) : null}
      {shown.map((entry) => (
        <StaffSlotSection
          key={entry.slot.id}
          entry={entry}
          now={now}
          onCheckIn={(b) => void confirmCheckIn(b, reload)}
          onUndo={(b) => void confirmUndo(b, reload)}
        />
      ))}
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
