import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { AuditAction, AuditEntry } from '@yuyue/contracts'
import { Alert, Card, Table, type TableColumnsType, Tag, Typography } from 'antd'
import { useSearchParams } from 'react-router'
import { useI18n } from '../../app/i18n'
import { formatDateTime } from '../../lib/time'
import { auditKeys, fetchAudit } from './api'
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
  const [params, setParams] = useSearchParams()
  const page = Math.max(1, Number(params.get('page')) || 1)
  const pageSize = Math.min(100, Math.max(1, Number(params.get('pageSize')) || 20))
  const query = { page, pageSize }
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
    { title: t.audit.actor, dataIndex: 'actor', width: 160, render: (actor: string) => actorLabel(actor, t) },
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
      width: 180,
      render: (target: string) => targetLabel(target, t),
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
        {audit.error && (
          <Alert type="error" showIcon title={describeError(audit.error)} style={{ marginBottom: 16 }} />
        )}
        <Table<AuditEntry>
          rowKey="id"
          columns={columns}
          dataSource={audit.data?.items}
          loading={audit.isFetching}
          pagination={{
            current: page,
            pageSize,
            total: audit.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t.common.total(total),
            onChange: (next, size) => {
              const search = new URLSearchParams()
              if (next > 1) search.set('page', String(next))
              if (size !== 20) search.set('pageSize', String(size))
              setParams(search, { replace: true })
            },
          }}
          scroll={{ x: 900 }}
        />
      </Card>
    </>
  )
}
