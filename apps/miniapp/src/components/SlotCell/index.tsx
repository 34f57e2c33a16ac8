import { Button, View } from '@tarojs/components'
import type { SlotView } from '@yuyue/contracts'
import { pressable } from '@/components/pressable'
import { slotPhase, venueClock } from '@/utils/venueTime'

interface Props {
  slot: SlotView
  now: number
  onBook: (slot: SlotView) => void
}

type SlotAction = { label: string; tone: 'primary' | 'muted'; enabled: boolean }

function actionFor(slot: SlotView, now: number): SlotAction {
  if (slot.myBookingId !== null) return { label: '已预约', tone: 'muted', enabled: false }
  const phase = slotPhase(slot, now)
  if (phase !== 'upcoming')
    return { label: phase === 'started' ? '进行中' : '已结束', tone: 'muted', enabled: false }
  if (slot.available <= 0) return { label: '已约满', tone: 'muted', enabled: false }
  return { label: '预约', tone: 'primary', enabled: true }
}

/** One slot: time, title, how many places are left, and what the person can do with it. */
export default function SlotCell({ slot, now, onBook }: Props) {
  const action = actionFor(slot, now)
  return (
    <View className="cell slot-cell" data-slot-id={slot.id}>
      <View className="cell__body">
        <View className="cell__title">
          {venueClock(slot.startsAt)} - {venueClock(slot.endsAt)}
        </View>
        <View className="cell__desc">
          {slot.title} · 剩余 {slot.available}/{slot.capacity}
        </View>
      </View>
      <Button
        className="mini-btn"
        type={action.tone === 'primary' ? 'primary' : 'default'}
        size="mini"
        disabled={action.enabled ? undefined : true}
        onClick={() => action.enabled && onBook(slot)}
        {...pressable(
          () => action.enabled && onBook(slot),
          `${action.label} ${venueClock(slot.startsAt)} - ${venueClock(slot.endsAt)} ${slot.title}`,
        )}
        aria-disabled={!action.enabled}
      >
        {action.label}
      </Button>
    </View>
  )
}
