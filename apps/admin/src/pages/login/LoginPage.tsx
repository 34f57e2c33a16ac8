import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { useMutation } from '@tanstack/react-query'
import type { AdminLoginBody } from '@yuyue/contracts'
import { Alert, Form, Input, theme } from 'antd'
import { Navigate, useNavigate, useSearchParams } from 'react-router'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { LanguageSwitch } from '../../app/LanguageSwitch'
import { safeRedirect } from '../../app/paths'
import { readSession, saveSession } from '../../lib/session'
import { logIn } from './api'

// Plain elements rather than Card and Typography: those pull in tabs, menus and tooltips, and the
// login page is the one every visit loads first.
export default function LoginPage() {
  const { t, describeError } = useI18n()
  const { token } = theme.useToken()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const login = useMutation({
    mutationFn: logIn,
    onSuccess: (answer) => {
      saveSession(answer)
      void navigate(safeRedirect(params.get('redirect')), { replace: true })
    },
  })

  // already logged in (a bookmark, the back button): straight on
  if (readSession() && login.isIdle) return <Navigate to={safeRedirect(params.get('redirect'))} replace />

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(180deg, #f0f5ff 0%, #f5f5f5 100%)',
        padding: 16,
      }}
    >
      <main style={{ width: 380, maxWidth: '100%' }}>
        <div
          style={{
            background: token.colorBgContainer,
            borderRadius: token.borderRadiusLG,
            boxShadow: token.boxShadowTertiary,
            padding: 32,
          }}
        >
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline' }}>
            <h1
              style={{
                margin: 0,
                fontSize: token.fontSizeHeading3,
                fontWeight: 600,
                color: token.colorTextHeading,
              }}
            >
              {t.login.title}
            </h1>
            <LanguageSwitch type="link" size="small" />
          </div>
          <p style={{ color: token.colorTextSecondary, margin: '8px 0 24px' }}>{t.login.subtitle}</p>
          {params.has('passwordChanged') && !login.error && (
            <Alert type="success" showIcon title={t.password.changed} style={{ marginBottom: 16 }} />
          )}
          {params.has('expired') && !login.error && (
            <Alert type="info" showIcon title={t.login.expired} style={{ marginBottom: 16 }} />
          )}
          {login.error && (
            <Alert
              type="error"
              showIcon
              role="alert"
              title={describeError(login.error)}
              style={{ marginBottom: 16 }}
            />
          )}
          <Form<AdminLoginBody>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => login.mutate(values)}
            disabled={login.isPending}
          >
            <Form.Item
              label={t.login.username}
              name="username"
              rules={[{ required: true, whitespace: true, message: t.login.usernameRequired }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
            </Form.Item>
            <Form.Item
              label={t.login.password}
              name="password"
              rules={[{ required: true, message: t.login.passwordRequired }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
            </Form.Item>
            <BusyButton
              type="primary"
              htmlType="submit"
              block
              size="large"
              label={t.login.submit}
              busy={login.isPending}
            />
          </Form>
        </div>
      </main>
    </div>
  )
}
