import {
  CalendarOutlined,
  StopOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Alert, Card, Col, Row, Statistic, Tooltip, Typography } from 'antd'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { useI18n } from '../../app/i18n'
import { paths } from '../../app/paths'
import { fetchStats, statsKey } from './api'

function StatCard(props: { title: string; value?: number; icon: ReactNode; to: string; loading: boolean }) {
  return (
    <Col xs={24} sm={12} lg={8} xl={6}>
      <Link to={props.to} aria-label={props.title}>
        <Card hoverable>
          <Statistic
            title={props.title}
            value={props.value ?? 0}
            prefix={props.icon}
            loading={props.loading}
          />
        </Card>
      </Link>
    </Col>
  )
}

export default function OverviewPage() {
  const { t, describeError } = useI18n()
  const stats = useQuery({ queryKey: statsKey, queryFn: ({ signal }) => fetchStats(signal) })
  const loading = stats.isPending
  const data = stats.data

  return (
    <>
      <Typography.Title level={3}>{t.overview.title}</Typography.Title>
      {stats.error && (
        <Alert type="error" showIcon title={describeError(stats.error)} style={{ marginBottom: 16 }} />
      )}
      <Row gutter={[16, 16]}>
        <StatCard
          title={t.overview.users}
          value={data?.users}
          icon={<UserOutlined />}
          to={paths.users}
          loading={loading}
        />
        <StatCard
          title={t.overview.staff}
          value={data?.staff}
          icon={<TeamOutlined />}
          to={`${paths.users}?role=staff`}
          loading={loading}
        />
        <StatCard
          title={t.overview.disabledUsers}
          value={data?.disabledUsers}
          icon={<StopOutlined />}
          to={`${paths.users}?isDeleted=true`}
          loading={loading}
        />
        <StatCard
          title={t.overview.staffDirectory}
          value={data?.staffDirectory}
          icon={<UsergroupAddOutlined />}
          to={paths.staff}
          loading={loading}
        />
        <StatCard
          title={t.overview.todayBookings(data?.date ?? '')}
          value={data?.todayBookings}
          icon={<CalendarOutlined />}
          to={paths.slots}
          loading={loading}
        />
      </Row>
      <Card title={t.overview.messages} style={{ marginTop: 16 }} aria-label={t.overview.messages}>
        <Row gutter={[16, 16]}>
          {(['pending', 'sent', 'failed', 'unknown'] as const).map((state) => (
            <Col key={state} xs={12} lg={6}>
              <Tooltip title={state === 'unknown' ? t.overview.unknownHelp : undefined}>
                <Statistic
                  title={t.overview.messageStates[state]}
                  value={data?.messages[state] ?? 0}
                  loading={loading}
                  valueStyle={state === 'failed' && data?.messages.failed ? { color: '#cf1322' } : undefined}
                />
              </Tooltip>
            </Col>
          ))}
        </Row>
      </Card>
    </>
  )
}
