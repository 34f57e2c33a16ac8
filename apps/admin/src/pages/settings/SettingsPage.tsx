import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { BookingSettings } from '@yuyue/contracts'
import { Alert, App, Button, Card, Form, InputNumber, Typography } from 'antd'
import { useEffect } from 'react'
import { useI18n } from '../../app/i18n'
import { auditKeys } from '../audit/api'
import { fetchSettings, saveSettings, settingsKey } from './api'

const FIELDS: { name: keyof BookingSettings; min: number; max: number }[] = [
  { name: 'bookingWindowDays', min: 1, max: 366 },
  { name: 'cancelCutoffMinutes', min: 0, max: 10_080 },
  { name: 'maxActivePerDay', min: 0, max: 100 },
  { name: 'checkInOpensMinutesBefore', min: 0, max: 1440 },
]

export default function SettingsPage() {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const [form] = Form.useForm<BookingSettings>()
  const settings = useQuery({ queryKey: settingsKey, queryFn: ({ signal }) => fetchSettings(signal) })
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data)
  }, [settings.data, form])
  const save = useMutation({
    mutationFn: saveSettings,
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKey, saved)
      void queryClient.invalidateQueries({ queryKey: auditKeys.all })
      void message.success(t.settings.saved)
    },
  })
  return (
    <>
      <Typography.Title level={3}>{t.settings.title}</Typography.Title>
      <Card style={{ maxWidth: 560 }} loading={settings.isPending}>
        {settings.error && <Alert type="error" showIcon title={describeError(settings.error)} />}
        <Form<BookingSettings> form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
          {FIELDS.map(({ name, min, max }) => (
            <Form.Item
              key={name}
              name={name}
              label={t.settings[name]}
              extra={name === 'bookingWindowDays' ? t.settings.bookingWindowHelp : undefined}
              rules={[{ required: true }]}
            >
              <InputNumber min={min} max={max} precision={0} style={{ width: 160 }} />
            </Form.Item>
          ))}
          {save.error && (
            <Alert type="error" showIcon title={describeError(save.error)} style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t.settings.save}
          </Button>
        </Form>
      </Card>
    </>
  )
}
