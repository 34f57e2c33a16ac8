import { Alert, Form, Input, Modal, Typography } from 'antd'
import { useEffect } from 'react'
import { useI18n } from '../../app/i18n'

interface Props {
  open: boolean
  title: string
  hint: string
  okText: string
  error: string | null
  onCancel(): void
  onSubmit(reason: string): Promise<unknown>
}

/** Asks for the reason a cancellation is given to the people it touches. */
export function ReasonModal({ open, title, hint, okText, error, onCancel, onSubmit }: Props) {
  const { t } = useI18n()
  const [form] = Form.useForm<{ reason: string }>()
  useEffect(() => {
    if (open) form.resetFields()
  }, [open, form])
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true }}
      cancelText={t.common.cancel}
      onCancel={onCancel}
      onOk={() =>
        form
          .validateFields()
          .then(({ reason }) => onSubmit(reason.trim()))
          .catch(() => undefined)
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>
      <Form form={form} name="cancelReason" layout="vertical">
        <Form.Item
          name="reason"
          label={t.slots.reason}
          rules={[{ required: true, whitespace: true, message: t.slots.reasonRequired }]}
        >
          <Input.TextArea maxLength={200} showCount autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  )
}
