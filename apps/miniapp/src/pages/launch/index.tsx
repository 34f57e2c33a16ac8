import { View } from '@tarojs/components'
import SessionGate from '@/components/SessionGate'
import './index.scss'

/** The page the app opens on while the silent login runs; the launch then moves on by role. */
export default function LaunchPage() {
  return (
    <View className="page launch">
      <View className="launch__logo">约</View>
      <View className="launch__name">预约</View>
      <SessionGate>{() => <View className="launch__hint">正在进入…</View>}</SessionGate>
    </View>
  )
}
