import { DeleteOutlined, ReloadOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type AdminSlot, addDays, daysBetween, type UpdateSlotBody } from '@yuyue/contracts'
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
  Tag,
} from 'antd'
import { useState } from 'react'
import { Link } from 'react-router'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { formatTime, localDateOf } from '../../lib/time'
import { auditKeys } from '../audit/api'
import { bookingKeys } from '../bookings/api'
import { statsKey } from '../overview/api'
import { fetchSettings, settingsKey } from '../settings/api'
import { deleteSlot, fetchSlots, slotKeys, updateSlot, withdrawSlot } from './api'
import type { PickedDay } from './CreateSlotsForm'
import { EditSlotModal } from './EditSlotModal'
import { ReasonModal } from './ReasonModal'

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
  const settings = useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => fetchSettings(signal) })
  const [editing, setEditing] = useState<AdminSlot | null>(null)
  const [withdrawing, setWithdrawing] = useState<AdminSlot | null>(null)
  const refreshAfterChange = () => {
    for (const queryKey of [slotKeys.all, bookingKeys.all, statsKey, auditKeys.all])
      void queryClient.invalidateQueries({ queryKey })
  }
  const edit = useMutation({
    mutationFn: ({ slot, change }: { slot: AdminSlot; change: UpdateSlotBody }) =>
      updateSlot(slot.id, change),
    onSuccess: () => {
      void message.success(t.slots.saved)
      setEditing(null)
      refreshAfterChange()
    },
  })
  const withdraw = useMutation({
    mutationFn: ({ slot, reason }: { slot: AdminSlot; reason: string }) => withdrawSlot(slot.id, { reason }),
    onSuccess: (result) => {
      void message.success(t.slots.withdrawn(result.cancelledBookings))
      setWithdrawing(null)
      refreshAfterChange()
    },
  })
  // a slot further ahead than the booking window is listed to people but not open yet
  const windowDays = settings.data?.bookingWindowDays
  const opensOn = (slot: AdminSlot): string | null => {
    if (windowDays === undefined) return null
    const slotDay = localDateOf(slot.startsAt)
    return daysBetween(localDateOf(new Date()), slotDay) > windowDays ? addDays(slotDay, -windowDays) : null
  }
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
    {
      title: t.slots.slotTitle,
      key: 'title',
      render: (_, slot) => {
        const opens = opensOn(slot)
        return (
          <Space wrap>
            <span>{slot.title}</span>
            {opens && <Tag color="orange">{t.slots.notOpenYet(`${opens} 00:00`)}</Tag>}
          </Space>
        )
      },
    },
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
      width: 300,
      render: (_, slot) => {
        const time = formatTime(slot.startsAt)
        return (
          <Space size={0} wrap>
            <Link
              to={`/bookings?slotId=${slot.id}`}
              aria-label={t.slots.listLabel(slot.title, time)}
              style={{ padding: '0 15px' }}
            >
              {t.slots.list}
            </Link>
            <Button
              type="link"
              aria-label={t.slots.editLabel(slot.title, time)}
              onClick={() => setEditing(slot)}
            >
              {t.slots.edit}
            </Button>
            <Button
              type="link"
              danger
              aria-label={t.slots.withdrawLabel(slot.title, time)}
              onClick={() => setWithdrawing(slot)}
            >
              {t.slots.withdraw}
            </Button>
            <Popconfirm
              title={t.slots.confirmDelete}
              okText={t.common.delete}
              okButtonProps={{ danger: true }}
              cancelText={t.common.cancel}
              onConfirm={() => remove.mutateAsync(slot).catch(() => undefined)}
            >
              <Button
                type="link"
                danger
                icon={<DeleteOutlined />}
                aria-label={t.slots.deleteLabel(slot.title, time)}
              >
                {t.common.delete}
              </Button>
            </Popconfirm>
          </Space>
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
      <EditSlotModal
        slot={editing}
        error={edit.error ? describeError(edit.error) : null}
        onCancel={() => {
          setEditing(null)
          edit.reset()
        }}
        onSubmit={(change) => edit.mutateAsync({ slot: editing!, change })}
      />
      <ReasonModal
        open={withdrawing !== null}
        title={t.slots.withdrawTitle}
        hint={t.slots.withdrawHint(withdrawing?.booked ?? 0)}
        okText={t.slots.withdraw}
        error={withdraw.error ? describeError(withdraw.error) : null}
        onCancel={() => {
          setWithdrawing(null)
          withdraw.reset()
        }}
        onSubmit={(reason) => withdraw.mutateAsync({ slot: withdrawing!, reason })}
      />
    </Card>
  )
}
