import { DeleteOutlined } from '@ant-design/icons'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { StaffEntry } from '@yuyue/contracts'
import { mobileKey } from '@yuyue/contracts'
import { Alert, App, Button, Card, Input, Popconfirm, Table, type TableColumnsType, Typography } from 'antd'
import { useState } from 'react'
import { Link } from 'react-router'
import { useI18n } from '../../app/i18n'
import { paths } from '../../app/paths'
import { formatDateTime } from '../../lib/time'
import { auditKeys } from '../audit/api'
import { statsKey } from '../overview/api'
import { userKeys } from '../users/api'
import { fetchStaff, removeStaff, staffKeys } from './api'

const PAGE_SIZE = 20

/** How an entry's phone is shown: mainland numbers as dialled at home, others with their code. */
export function displayMobile(entry: Pick<StaffEntry, 'countryCode' | 'mobile'>): string {
  return entry.countryCode === '86' ? entry.mobile : `+${entry.countryCode} ${entry.mobile}`
}

export function StaffList() {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const [q, setQ] = useState('')
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(PAGE_SIZE)
  const query = { q: q || undefined, page, pageSize }
  const list = useQuery({
    queryKey: staffKeys.list(query),
    queryFn: ({ signal }) => fetchStaff(query, signal),
    placeholderData: keepPreviousData,
  })
  const remove = useMutation({
    mutationFn: (entry: StaffEntry) =>
      removeStaff(mobileKey({ countryCode: entry.countryCode, number: entry.mobile })),
    onSuccess: (result, entry) => {
      void message.success(t.staff.removed(displayMobile(entry), result.demoted))
      for (const queryKey of [staffKeys.all, userKeys.all, statsKey, auditKeys.all])
        void queryClient.invalidateQueries({ queryKey })
    },
    onError: (error) => void message.error(describeError(error)),
  })

  const columns: TableColumnsType<StaffEntry> = [
    { title: t.staff.mobile, key: 'mobile', render: (_, entry) => displayMobile(entry) },
    { title: t.staff.name, dataIndex: 'name', render: (name: string | null) => name ?? t.common.none },
    {
      title: t.staff.note,
      dataIndex: 'note',
      ellipsis: true,
      render: (note: string | null) => note ?? t.common.none,
    },
    {
      title: t.staff.boundUser,
      dataIndex: 'userId',
      render: (userId: number | null, entry) =>
        userId ? (
          <Link to={`${paths.users}?q=${entry.mobile}`}>{t.users.userLabel(userId)}</Link>
        ) : (
          <Typography.Text type="secondary">{t.staff.notBound}</Typography.Text>
        ),
    },
    { title: t.staff.createdAt, dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
    {
      title: t.common.actions,
      key: 'actions',
      width: 100,
      render: (_, entry) => (
        <Popconfirm
          title={t.staff.confirmRemove(displayMobile(entry))}
          okText={t.common.delete}
          okButtonProps={{ danger: true }}
          cancelText={t.common.cancel}
          onConfirm={() => remove.mutateAsync(entry).catch(() => undefined)}
        >
          <Button
            type="link"
            danger
            icon={<DeleteOutlined />}
            aria-label={t.staff.removeLabel(displayMobile(entry))}
            loading={remove.isPending && remove.variables === entry}
          >
            {t.common.delete}
          </Button>
        </Popconfirm>
      ),
    },
  ]

  return (
    <Card
      title={t.staff.listTitle}
      extra={
        <Input.Search
          aria-label={t.common.search}
          placeholder={t.staff.searchPlaceholder}
          allowClear
          onSearch={(value) => {
            setQ(value.trim())
            setPage(1)
          }}
          style={{ width: 260 }}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t.staff.searchHint}</Typography.Paragraph>
      {list.error && (
        <Alert type="error" showIcon title={describeError(list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<StaffEntry>
        rowKey={(entry) => `${entry.countryCode}-${entry.mobile}`}
        columns={columns}
        dataSource={list.data?.items}
        loading={list.isFetching}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t.common.total(total),
          onChange: (next, size) => {
            setPage(next)
            setPageSize(size)
          },
        }}
      />
    </Card>
  )
}
