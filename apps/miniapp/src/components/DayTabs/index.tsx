import { ScrollView, View } from '@tarojs/components'
import { pressable } from '@/components/pressable'
import { monthDay, relativeDayName } from '@/utils/venueTime'
import './index.scss'

interface Props {
  days: string[]
  today: string
  selected: string
  onSelect: (day: string) => void
}

/** The days ahead as tabs: 今天 / 明天 / 后天 / 周五 … with the date under each. */
export default function DayTabs({ days, today, selected, onSelect }: Props) {
  return (
    <ScrollView className="day-tabs" scrollX enhanced showScrollbar={false}>
      {days.map((day) => (
        <View
          key={day}
          className={`day-tabs__item${day === selected ? ' day-tabs__item--active' : ''}`}
          onClick={() => onSelect(day)}
          {...pressable(() => onSelect(day), `${relativeDayName(day, today)} ${monthDay(day)}`)}
          aria-pressed={day === selected}
        >
          <View className="day-tabs__name">{relativeDayName(day, today)}</View>
          <View className="day-tabs__date">{monthDay(day)}</View>
        </View>
      ))}
    </ScrollView>
  )
}
