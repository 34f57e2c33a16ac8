import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { AdminBooking, AdminBookingsQuery, BookingStatus } from '@yuyue/contracts'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useI18n } from '../../app/i18n'
import { formatDateTime, formatTime } from '../../lib/time'
import { pagingOf, useUrlQuery } from '../../lib/urlQuery'
import { auditKeys } from '../audit/api'
import { slotKeys } from '../slots/api'
import { ReasonModal } from '../slots/ReasonModal'
import { bookingKeys, cancelBooking, fetchBookings } from './api'
import { ExportButton } from './ExportButton'
import { ReminderState } from './ReminderState'

const STATUS_COLORS: Record<BookingStatus, string> = {
  booked: 'blue',
  cancelled: 'default',
  checked_in: 'green',
}
const STATUSES: BookingStatus[] = ['booked', 'checked_in', 'cancelled']

/** The filters live in the URL (useUrlQuery): the slots page links a slot's list, the users page a person's. */
function bookingsQueryOf(params: URLSearchParams): AdminBookingsQuery {
  const id = (key: string) => Number(params.get(key)) || undefined
  const status = params.get('status')
  return {
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    slotId: id('slotId'),
    userId: id('userId'),
    status: STATUSES.includes(status as BookingStatus) ? (status as BookingStatus) : undefined,
    q: params.get('q') || undefined,
    ...pagingOf(params),
  }
}

export default function BookingsPage() {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const [query, update] = useUrlQuery(bookingsQueryOf)
  const [search, setSearch] = useState(query.q ?? '')
  const [cancelling, setCancelling] = useState<AdminBooking | null>(null)
  const bookings = useQuery({
    queryKey: bookingKeys.list(query),
    queryFn: ({ signal }) => fetchBookings(query, signal),
    placeholderData: keepPreviousData,
  })
  const cancel = useMutation({
    mutationFn: ({ booking, reason }: { booking: AdminBooking; reason: string }) =>
      cancelBooking(booking.id, { reason }),
    onSuccess: () => {
      void message.success(t.bookings.cancelledOk)
      setCancelling(null)
      for (const queryKey of [bookingKeys.all, slotKeys.all, auditKeys.all])
        void queryClient.invalidateQueries({ queryKey })
    },
  })
  const who = (booking: AdminBooking) => booking.user.nickname || `#${booking.user.id}`

  const columns: TableColumnsType<AdminBooking> = [
    {
      title: t.bookings.slot,
      key: 'slot',
      render: (_, b) => (
        <Space direction="vertical" size={0}>
          <span>
            {formatDateTime(b.slot.startsAt)} – {formatTime(b.slot.endsAt)}
          </span>
          <Typography.Text type="secondary">{b.slot.title}</Typography.Text>
        </Space>
      ),
    },
    { title: t.bookings.person, key: 'person', render: (_, b) => who(b) },
    {
      title: t.bookings.phone,
      key: 'phone',
      render: (_, b) =>
        b.user.mobile
          ? `${b.user.countryCode && b.user.countryCode !== '86' ? `+${b.user.countryCode} ` : ''}${b.user.mobile}`
          : t.common.none,
    },
    {
      title: t.bookings.status,
      dataIndex: 'status',
      render: (status: BookingStatus) => (
        <Tag color={STATUS_COLORS[status]}>{t.bookings.statuses[status]}</Tag>
      ),
    },
    {
      title: t.bookings.checkedInAt,
      dataIndex: 'checkedInAt',
      render: (v: string | null) => formatDateTime(v) || t.common.none,
    },
    {
      title: t.bookings.cancelled,
      key: 'cancelled',
      render: (_, b) =>
        b.cancelledBy ? (
          <Space direction="vertical" size={0}>
            <span>{t.bookings.cancelledBy[b.cancelledBy]}</span>
            {b.cancelReason && <Typography.Text type="secondary">{b.cancelReason}</Typography.Text>}
          </Space>
        ) : (
          t.common.none
        ),
    },
    { title: t.bookings.reminder, key: 'reminder', render: (_, b) => <ReminderState booking={b} /> },
    { title: t.bookings.bookedAt, dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t.common.actions,
      key: 'actions',
      render: (_, b) =>
        b.status === 'booked' ? (
          <Button
            type="link"
            danger
            aria-label={t.bookings.cancelLabel(who(b))}
            onClick={() => setCancelling(b)}
          >
            {t.bookings.cancel}
          </Button>
        ) : null,
    },
  ]

  const narrowed = query.slotId ?? query.userId
  return (
    <>
      <Typography.Title level={3}>{t.bookings.title}</Typography.Title>
      <Card>
        {narrowed !== undefined && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={
              query.slotId !== undefined
                ? t.bookings.ofSlot(query.slotId)
                : t.bookings.ofPerson(query.userId!)
            }
            action={
              <Button size="small" onClick={() => update({ slotId: undefined, userId: undefined })}>
                {t.bookings.clearFilter}
              </Button>
            }
          />
        )}
        <Flex wrap gap="middle" align="center" style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            aria-label={t.bookings.dates}
            value={query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null}
            onChange={(range) =>
              update({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') })
            }
          />
          <Select<BookingStatus | 'all'>
            aria-label={t.bookings.status}
            value={query.status ?? 'all'}
            onChange={(value) => update({ status: value === 'all' ? undefined : value })}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t.common.allOf(t.bookings.status) },
              ...STATUSES.map((s) => ({ value: s, label: t.bookings.statuses[s] })),
            ]}
          />
          <Input.Search
            aria-label={t.common.search}
            placeholder={t.bookings.searchPlaceholder}
            allowClear
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            style={{ width: 260 }}
            enterButton
          />
          <div style={{ marginInlineStart: 'auto' }}>
            <ExportButton from={query.from} to={query.to} />
          </div>
        </Flex>
        {bookings.error && (
          <Alert type="error" showIcon title={describeError(bookings.error)} style={{ marginBottom: 16 }} />
        )}
        <Table<AdminBooking>
          rowKey="id"
          columns={columns}
          dataSource={bookings.data?.items}
          loading={bookings.isFetching}
          locale={{ emptyText: t.bookings.empty }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: bookings.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t.common.total(total),
            onChange: (page, pageSize) => update({ page, pageSize }),
          }}
          scroll={{ x: 1000 }}
        />
      </Card>
      <ReasonModal
        open={cancelling !== null}
        title={t.bookings.cancelTitle}
        hint={t.bookings.cancelHint}
        okText={t.bookings.cancel}
        onCancel={() => {
          setCancelling(null)
          cancel.reset()
        }}
        onSubmit={(reason) => cancel.mutateAsync({ booking: cancelling!, reason })}
        error={cancel.error ? describeError(cancel.error) : null}
      />
    </>
  )
}
