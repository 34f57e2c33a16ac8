import { DeleteOutlined, ReloadOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { AdminSlot } from '@yuyue/contracts'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Popconfirm,
  Progress,
  Space,
  Table,
  type TableColumnsType,
} from 'antd'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { formatTime, localDateOf } from '../../lib/time'
import { auditKeys } from '../audit/api'
import { statsKey } from '../overview/api'
import { deleteSlot, fetchSlots, slotKeys } from './api'
import type { PickedDay } from './CreateSlotsForm'

interface Props {
  /** the chosen day; null: today */
  day: PickedDay | null
  onDayChange(day: PickedDay | null): void
}

export function SlotDayList({ day, onDayChange }: Props) {
  const { t, describeError } = useI18n()
  const { message, modal } = App.useApp()
  const queryClient = useQueryClient()
  const date = day?.format('YYYY-MM-DD') ?? localDateOf(new Date())
  const slots = useQuery({
    queryKey: slotKeys.list({ date }),
    queryFn: ({ signal }) => fetchSlots({ date }, signal),
  })
  const remove = useMutation({
    mutationFn: (slot: AdminSlot) => deleteSlot(slot.id),
    onSuccess: () => {
      void message.success(t.slots.deleted)
      for (const queryKey of [slotKeys.all, statsKey, auditKeys.all])
        void queryClient.invalidateQueries({ queryKey })
    },
    // a refusal (people still hold bookings) needs reading, not a toast that fades away
    onError: (error) => void modal.error({ title: t.common.delete, content: describeError(error) }),
  })

  const columns: TableColumnsType<AdminSlot> = [
    {
      title: t.slots.time,
      key: 'time',
      render: (_, slot) => `${formatTime(slot.startsAt)} – ${formatTime(slot.endsAt)}`,
      width: 140,
    },
    { title: t.slots.slotTitle, dataIndex: 'title' },
    {
      title: t.slots.booked,
      key: 'booked',
      width: 200,
      render: (_, slot) => (
        <Space>
          <span>
            {slot.booked} / {slot.capacity}
          </span>
          <Progress
            percent={Math.round((slot.booked / slot.capacity) * 100)}
            showInfo={false}
            size="small"
            style={{ width: 80 }}
          />
        </Space>
      ),
    },
    {
      title: t.common.actions,
      key: 'actions',
      width: 100,
      render: (_, slot) => {
        const label = t.slots.deleteLabel(slot.title, formatTime(slot.startsAt))
        return (
          <Popconfirm
            title={t.slots.confirmDelete}
            okText={t.common.delete}
            okButtonProps={{ danger: true }}
            cancelText={t.common.cancel}
            onConfirm={() => remove.mutateAsync(slot).catch(() => undefined)}
          >
            <Button type="link" danger icon={<DeleteOutlined />} aria-label={label}>
              {t.common.delete}
            </Button>
          </Popconfirm>
        )
      },
    },
  ]

  return (
    <Card
      title={`${t.slots.listTitle} · ${date}`}
      extra={
        <Space>
          <DatePicker
            aria-label={t.slots.day}
            value={day}
            placeholder={date}
            onChange={(value) => onDayChange(value)}
            allowClear={false}
          />
          <Button onClick={() => onDayChange(null)}>{t.slots.today}</Button>
          {/* bookings arrive from the mini-program while the admin looks */}
          <BusyButton
            icon={<ReloadOutlined />}
            onClick={() => void slots.refetch()}
            label={t.slots.refresh}
            busy={slots.isFetching}
          />
        </Space>
      }
    >
      {slots.error && (
        <Alert type="error" showIcon title={describeError(slots.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<AdminSlot>
        rowKey="id"
        columns={columns}
        dataSource={slots.data?.items}
        loading={slots.isFetching}
        pagination={false}
        locale={{ emptyText: t.slots.empty }}
      />
    </Card>
  )
}
