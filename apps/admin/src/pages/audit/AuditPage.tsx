import { DownloadOutlined } from '@ant-design/icons'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { type AuditAction, type AuditEntry, type AuditQuery, auditActions } from '@yuyue/contracts'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Input,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { downloadBlob } from '../../lib/download'
import { formatDateTime } from '../../lib/time'
import { pagingOf, useUrlQuery } from '../../lib/urlQuery'
import { auditKeys, fetchAudit, fetchAuditExport } from './api'
import { actorLabel, detailText, targetLabel } from './auditLabels'

const ACTION_COLORS: Record<AuditAction, string> = {
  'staff.import': 'blue',
  'staff.remove': 'orange',
  'user.disable': 'red',
  'user.enable': 'green',
  'user.erase': 'magenta',
  'slot.create': 'cyan',
  'slot.delete': 'volcano',
  'phone.move': 'purple',
  'booking.checkIn': 'geekblue',
  'booking.undoCheckIn': 'orange',
  'booking.cancel': 'magenta',
  'bookings.export': 'gold',
  'slot.update': 'cyan',
  'slot.cancel': 'volcano',
  'settings.update': 'lime',
  'admin.create': 'default',
  'admin.login': 'default',
  'admin.loginFailed': 'warning',
  'admin.logout': 'default',
  'admin.passwordChange': 'gold',
}

export default function AuditPage() {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const [exporting, setExporting] = useState(false)
  const [query, update] = useUrlQuery(auditQueryOf)
  const audit = useQuery({
    queryKey: auditKeys.page(query),
    queryFn: ({ signal }) => fetchAudit(query, signal),
    placeholderData: keepPreviousData,
  })

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t.audit.time,
      dataIndex: 'createdAt',
      width: 170,
      render: (value: string) => formatDateTime(value),
    },
    {
      title: t.audit.actor,
      dataIndex: 'actor',
      width: 190,
      render: (actor: string, entry) => <Named label={actorLabel(actor, t)} name={entry.actorName} />,
    },
    {
      title: t.audit.action,
      dataIndex: 'action',
      width: 150,
      render: (action: AuditAction) => (
        <Tag color={ACTION_COLORS[action] ?? 'default'}>{t.auditActions[action] ?? action}</Tag>
      ),
    },
    {
      title: t.audit.target,
      dataIndex: 'target',
      width: 240,
      render: (target: string, entry) => <Named label={targetLabel(target, t)} name={entry.targetName} />,
    },
    {
      title: t.audit.detail,
      dataIndex: 'detail',
      render: (detail: AuditEntry['detail']) => (
        <Typography.Text type="secondary">{detailText(detail, t) || t.common.none}</Typography.Text>
      ),
    },
  ]

  return (
    <>
      <Typography.Title level={3}>{t.audit.title}</Typography.Title>
      <Card>
        <Flex wrap gap="middle" align="center" style={{ marginBottom: 16 }}>
          <Select<AuditAction | 'all'>
            aria-label={t.audit.filterAction}
            value={query.action ?? 'all'}
            onChange={(value) => update({ action: value === 'all' ? undefined : value })}
            style={{ width: 180 }}
            options={[
              { value: 'all', label: t.audit.allActions },
              ...auditActions.map((action) => ({ value: action, label: t.auditActions[action] ?? action })),
            ]}
          />
          <Input.Search
            key={query.actor ?? ''}
            aria-label={t.audit.filterActor}
            placeholder={t.audit.filterActorPlaceholder}
            defaultValue={query.actor?.replace(/^admin:/, '')}
            allowClear
            onSearch={(value) => update({ actor: actorFilter(value) })}
            style={{ width: 240 }}
          />
          <DatePicker.RangePicker
            aria-label={t.audit.filterDays}
            value={query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null}
            onChange={(days) =>
              update({ from: days?.[0]?.format('YYYY-MM-DD'), to: days?.[1]?.format('YYYY-MM-DD') })
            }
          />
          <Button
            onClick={() =>
              update({ action: undefined, actor: undefined, from: undefined, to: undefined, pageSize: 20 })
            }
          >
            {t.audit.clearFilters}
          </Button>
          <BusyButton
            icon={<DownloadOutlined />}
            label={t.audit.export}
            busy={exporting}
            onClick={async () => {
              const { page: _page, pageSize: _size, ...filters } = query
              setExporting(true)
              try {
                const file = await fetchAuditExport(filters)
                downloadBlob(file.fileName ?? 'audit.csv', file.blob)
              } catch (error) {
                message.error(describeError(error))
              } finally {
                setExporting(false)
              }
            }}
          />
        </Flex>
        {audit.error && (
          <Alert type="error" showIcon title={describeError(audit.error)} style={{ marginBottom: 16 }} />
        )}
        <Table<AuditEntry>
          rowKey="id"
          columns={columns}
          dataSource={audit.data?.items}
          loading={audit.isFetching}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: audit.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t.common.total(total),
            onChange: (page, pageSize) => update({ page, pageSize }),
          }}
          scroll={{ x: 900 }}
        />
      </Card>
    </>
  )
}

/** An id's label with who or what it names now, when the API could tell. */
function Named({ label, name }: { label: string; name?: string | null }) {
  return (
    <Flex vertical>
      <span>{label}</span>
      {name && <Typography.Text type="secondary">{name}</Typography.Text>}
    </Flex>
  )
}

/** The filters the address holds; a malformed value is left out rather than refused. */
function auditQueryOf(params: URLSearchParams): AuditQuery {
  const action = params.get('action')
  const day = (key: string) => {
    const value = params.get(key)
    return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined
  }
  return {
    action: auditActions.includes(action as AuditAction) ? (action as AuditAction) : undefined,
    actor: params.get('actor') || undefined,
    from: day('from'),
    to: day('to'),
    ...pagingOf(params),
  }
}

/** What the admin typed as the actor: an admin's username, or an entry's own `user:7`-style label. */
export function actorFilter(text: string): string | undefined {
  const value = text.trim()
  if (!value) return undefined
  return /^(admin:.+|(user|staff):\d+|system)$/.test(value) ? value : `admin:${value}`
}
