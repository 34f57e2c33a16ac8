import { Text, View } from '@tarojs/components'
import { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import type { MiniappUser } from '@yuyue/contracts'
import { useMemo, useRef, useState } from 'react'
import DayTabs from '@/components/DayTabs'
import ListStates from '@/components/PageState/ListStates'
import PrivacyPopup from '@/components/PrivacyPopup'
import QuickLoginButton from '@/components/QuickLoginButton'
import QuickLoginSheet from '@/components/QuickLoginSheet'
import SessionGate from '@/components/SessionGate'
import SlotCell from '@/components/SlotCell'
import { openPrivacyContract } from '@/privacy/privacyContract'
import { routes } from '@/routes'
import { platform } from '@/services'
import { daysAhead, venueDate } from '@/utils/venueTime'
import { bookSlot } from './booking'
import { useDaySlots } from './useDaySlots'
import './index.scss'

const DAYS_AHEAD = 7

function HomeContent({ user }: { user: MiniappUser }) {
  const today = useMemo(() => venueDate(Date.now()), [])
  const days = useMemo(() => daysAhead(today, DAYS_AHEAD), [today])
  const [date, setDate] = useState(today)
  const { state, reload } = useDaySlots(date)
  const shownBefore = useRef(false)

  useDidShow(() => {
    // back from another tab: places may have changed
    if (shownBefore.current) void reload()
    shownBefore.current = true
  })
  usePullDownRefresh(() => {
    void reload().finally(() => platform.stopPullDownRefresh())
  })

  return (
    <View>
      {user.phone === null ? (
        <View className="home-notice">
          <View className="home-notice__body">
            <View className="home-notice__text">验证手机号后即可预约</View>
            {/* the tap below also agrees to the guide, so it is named beside the button */}
            <View className="home-notice__terms">
              登录即表示同意
              <Text className="home-notice__link" onClick={openPrivacyContract}>
                《隐私保护指引》
              </Text>
            </View>
          </View>
          <QuickLoginButton id="quick-login-home" className="mini-btn" size="mini">
            快捷登录
          </QuickLoginButton>
        </View>
      ) : null}
      {user.role === 'staff' ? (
        <View className="cells home-staff" onClick={() => void platform.navigateTo(routes.staff)}>
          <View className="cell">
            <View className="cell__body">工作台</View>
            <View className="cell__value cell__arrow">查看预约与签到</View>
          </View>
        </View>
      ) : null}
      <DayTabs days={days} today={today} selected={date} onSelect={setDate} />
      <ListStates state={state} emptyMessage="当天暂无可预约时段" onReload={() => void reload()} />
      {state.status === 'ready' && state.data.length > 0 ? (
        <View className="cells home-slots">
          {state.data.map((slot) => (
            <SlotCell
              key={slot.id}
              slot={slot}
              now={Date.now()}
              onBook={(chosen) => void bookSlot(chosen, user.phone !== null, reload)}
            />
          ))}
        </View>
      ) : null}
    </View>
  )
}

export default function HomePage() {
  return (
    <View className="page home">
      <SessionGate>{(user) => <HomeContent user={user} />}</SessionGate>
      <QuickLoginSheet />
      <PrivacyPopup />
    </View>
  )
}
