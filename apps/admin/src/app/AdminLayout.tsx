import {
  AuditOutlined,
  CalendarOutlined,
  DashboardOutlined,
  KeyOutlined,
  LogoutOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Layout, Menu, Space, Typography, theme } from 'antd'
import { Suspense } from 'react'
import { Link, Outlet, useLocation, useNavigate } from 'react-router'
import { clearSession, readSession } from '../lib/session'
import { logOut } from '../pages/account/api'
import { useI18n } from './i18n'
import { LanguageSwitch } from './LanguageSwitch'
import { PageLoading } from './PageLoading'
import { paths } from './paths'

const { Header, Sider, Content } = Layout

function AdminShell() {
  const { t } = useI18n()
  const { token } = theme.useToken()
  const { message } = App.useApp()
  const location = useLocation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const admin = readSession()?.admin

  const items = [
    {
      key: paths.overview,
      icon: <DashboardOutlined />,
      label: <Link to={paths.overview}>{t.nav.overview}</Link>,
    },
    { key: paths.users, icon: <UserOutlined />, label: <Link to={paths.users}>{t.nav.users}</Link> },
    { key: paths.staff, icon: <TeamOutlined />, label: <Link to={paths.staff}>{t.nav.staff}</Link> },
    { key: paths.slots, icon: <CalendarOutlined />, label: <Link to={paths.slots}>{t.nav.slots}</Link> },
    {
      key: paths.bookings,
      icon: <ScheduleOutlined />,
      label: <Link to={paths.bookings}>{t.nav.bookings}</Link>,
    },
    {
      key: paths.settings,
      icon: <SettingOutlined />,
      label: <Link to={paths.settings}>{t.nav.settings}</Link>,
    },
    { key: paths.audit, icon: <AuditOutlined />, label: <Link to={paths.audit}>{t.nav.audit}</Link> },
  ]
  const selected =
    items.find((item) => item.key !== '/' && location.pathname.startsWith(item.key))?.key ?? '/'

  const logout = async () => {
    // ends the token on the API (every one this admin holds), not only in this tab; the tab
    // forgets it whatever the answer, so a network failure never keeps the admin logged in here
    await logOut().catch(() => undefined)
    clearSession()
    // the next admin at this desk must not see this one's cached data
    queryClient.clear()
    void message.success(t.nav.loggedOut)
    void navigate(paths.login, { replace: true })
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        breakpoint="lg"
        collapsedWidth={0}
        theme="light"
        style={{ borderRight: `1px solid ${token.colorSplit}` }}
      >
        <div style={{ padding: '20px 24px', fontWeight: 600, fontSize: 16 }}>{t.appName}</div>
        <nav aria-label={t.appName}>
          <Menu mode="inline" selectedKeys={[selected]} items={items} style={{ borderInlineEnd: 'none' }} />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            padding: '0 24px',
            borderBottom: `1px solid ${token.colorSplit}`,
          }}
        >
          <Space size="middle">
            <LanguageSwitch type="text" />
            {admin && <Typography.Text type="secondary">{admin.username}</Typography.Text>}
            <Button type="text" icon={<KeyOutlined />} onClick={() => void navigate(paths.password)}>
              {t.nav.changePassword}
            </Button>
            <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
              {t.nav.logout}
            </Button>
          </Space>
        </Header>
        <Content style={{ padding: 24 }}>
          <main>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </main>
        </Content>
      </Layout>
    </Layout>
  )
}

/** The logged-in frame: antd's message and modal context, the menu and the page. */
export default function AdminLayout() {
  return (
    <App>
      <AdminShell />
    </App>
  )
}
