import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { AdminUser, AdminUsersQuery, MiniappRole } from '@yuyue/contracts'
import { maskMobile } from '@yuyue/contracts'
import {
  Alert,
  Avatar,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd'
import { useId, useState } from 'react'
import { Link } from 'react-router'
import { useI18n } from '../../app/i18n'
import { formatDateTime } from '../../lib/time'
import { pagingOf, useUrlQuery } from '../../lib/urlQuery'
import { fetchUsers, userKeys } from './api'
import { UserStatusSwitch } from './UserStatusSwitch'

const ROLE_COLORS: Record<MiniappRole, string> = { user: 'default', staff: 'blue' }

/** The filters live in the URL (useUrlQuery). */
function usersQueryOf(params: URLSearchParams): AdminUsersQuery {
  const role = params.get('role')
  const isDeleted = params.get('isDeleted')
  return {
    q: params.get('q') || undefined,
    role: role === 'user' || role === 'staff' ? role : undefined,
    isDeleted: isDeleted === 'true' ? true : isDeleted === 'false' ? false : undefined,
    ...pagingOf(params),
  }
}

function MobileCell({
  user,
  full,
  t,
}: {
  user: AdminUser
  full: boolean
  t: ReturnType<typeof useI18n>['t']
}) {
  if (!user.mobile) return <Typography.Text type="secondary">{t.users.noMobile}</Typography.Text>
  const code = user.countryCode && user.countryCode !== '86' ? `+${user.countryCode} ` : ''
  return (
    <Typography.Text copyable={full ? { text: `${code}${user.mobile}` } : false}>
      {code}
      {full ? user.mobile : maskMobile(user.mobile)}
    </Typography.Text>
  )
}

export default function UsersPage() {
  const { t, describeError } = useI18n()
  const [query, update] = useUrlQuery(usersQueryOf)
  const [showFull, setShowFull] = useState(false)
  const [search, setSearch] = useState(query.q ?? '')
  const fullId = useId()
  const users = useQuery({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => fetchUsers(query, signal),
    placeholderData: keepPreviousData,
  })
  const who = (user: AdminUser) => user.nickname || t.users.userLabel(user.id)

  const columns: TableColumnsType<AdminUser> = [
    { title: t.users.id, dataIndex: 'id', width: 80 },
    {
      title: t.users.nickname,
      key: 'nickname',
      render: (_, user) => (
        <Space>
          <Avatar size="small" src={user.avatarUrl ?? undefined} alt="">
            {(user.nickname ?? '?').slice(0, 1)}
          </Avatar>
          {user.nickname ?? <Typography.Text type="secondary">{t.users.noNickname}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t.users.mobile,
      key: 'mobile',
      render: (_, user) => <MobileCell user={user} full={showFull} t={t} />,
    },
    {
      title: t.users.role,
      dataIndex: 'role',
      render: (role: MiniappRole) => <Tag color={ROLE_COLORS[role]}>{t.roles[role]}</Tag>,
    },
    {
      title: t.users.lastLogin,
      dataIndex: 'lastLoginAt',
      render: (value: string | null) => formatDateTime(value) || t.common.none,
    },
    { title: t.users.createdAt, dataIndex: 'createdAt', render: (value: string) => formatDateTime(value) },
    {
      title: t.users.status,
      key: 'status',
      width: 120,
      render: (_, user) => <UserStatusSwitch user={user} who={who(user)} />,
    },
    {
      title: t.common.actions,
      key: 'bookings',
      width: 110,
      render: (_, user) => (
        <Link to={`/bookings?userId=${user.id}`} aria-label={t.users.bookingsOf(who(user))}>
          {t.users.bookings}
        </Link>
      ),
    },
  ]

  return (
    <>
      <Typography.Title level={3}>{t.users.title}</Typography.Title>
      <Card>
        <Flex wrap gap="middle" align="center" style={{ marginBottom: 8 }}>
          <Input.Search
            aria-label={t.common.search}
            placeholder={t.users.searchPlaceholder}
            allowClear
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            style={{ width: 280 }}
            enterButton
          />
          <Select<MiniappRole | 'all'>
            aria-label={t.users.role}
            value={query.role ?? 'all'}
            onChange={(value) => update({ role: value === 'all' ? undefined : value })}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t.common.allOf(t.users.role) },
              { value: 'user', label: t.roles.user },
              { value: 'staff', label: t.roles.staff },
            ]}
          />
          <Select
            aria-label={t.users.status}
            value={query.isDeleted === undefined ? 'all' : String(query.isDeleted)}
            onChange={(value) => update({ isDeleted: value === 'all' ? undefined : value === 'true' })}
            style={{ width: 140 }}
            options={[
              { value: 'all', label: t.common.allOf(t.users.status) },
              { value: 'false', label: t.users.enabled },
              { value: 'true', label: t.users.disabled },
            ]}
          />
          <Space style={{ marginInlineStart: 'auto' }}>
            <Switch id={fullId} size="small" checked={showFull} onChange={setShowFull} />
            <label htmlFor={fullId}>{t.users.showFullMobile}</label>
          </Space>
        </Flex>
        <Typography.Paragraph type="secondary">{t.users.searchHint}</Typography.Paragraph>
        {users.error && (
          <Alert type="error" showIcon title={describeError(users.error)} style={{ marginBottom: 16 }} />
        )}
        <Table<AdminUser>
          rowKey="id"
          columns={columns}
          dataSource={users.data?.items}
          loading={users.isFetching}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: users.data?.total ?? 0,
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
