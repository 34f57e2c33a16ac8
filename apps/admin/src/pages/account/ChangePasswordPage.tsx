import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, Card, Form, Input, Typography } from 'antd'
import { useNavigate } from 'react-router'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { paths } from '../../app/paths'
import { clearSession } from '../../lib/session'
import { changePassword } from './api'

/** What the API accepts as a new password (it refuses shorter ones and published ones). */
export const MIN_PASSWORD_LENGTH = 12

interface PasswordForm {
  currentPassword: string
  newPassword: string
  confirmPassword: string
}

export default function ChangePasswordPage() {
  const { t, describeError } = useI18n()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordForm) =>
      changePassword({ currentPassword, newPassword }),
    onSuccess: () => {
      // the API ended every token of this admin, this tab's too
      clearSession()
      queryClient.clear()
      // told on the login page: this layout, and its message area, are gone once there
      void navigate(`${paths.login}?passwordChanged=1`, { replace: true })
    },
  })

  return (
    <>
      <Typography.Title level={3}>{t.password.title}</Typography.Title>
      <Card style={{ maxWidth: 480 }}>
        <Typography.Paragraph type="secondary">{t.password.hint}</Typography.Paragraph>
        {change.error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={describeError(change.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<PasswordForm>
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => change.mutate(values)}
          disabled={change.isPending}
        >
          <Form.Item
            label={t.password.current}
            name="currentPassword"
            rules={[{ required: true, message: t.password.currentRequired }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            label={t.password.next}
            name="newPassword"
            rules={[
              { required: true, min: MIN_PASSWORD_LENGTH, message: t.password.nextRule(MIN_PASSWORD_LENGTH) },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label={t.password.confirm}
            name="confirmPassword"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t.password.confirmMismatch },
              ({ getFieldValue }) => ({
                validator: (_rule, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t.password.confirmMismatch)),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <BusyButton type="primary" htmlType="submit" label={t.password.submit} busy={change.isPending} />
        </Form>
      </Card>
    </>
  )
}
