import type { AdminSlot, UpdateSlotBody } from '@yuyue/contracts'
import { Alert, Form, Input, InputNumber, Modal } from 'antd'
import { useEffect } from 'react'
import { useI18n } from '../../app/i18n'

interface Props {
  slot: AdminSlot | null
  error: string | null
  onCancel(): void
  onSubmit(change: UpdateSlotBody): Promise<unknown>
}

/** Title and capacity of a slot; the API refuses a capacity below the places booked. */
export function EditSlotModal({ slot, error, onCancel, onSubmit }: Props) {
  const { t } = useI18n()
  const [form] = Form.useForm<{ title: string; capacity: number }>()
  useEffect(() => {
    if (slot) form.setFieldsValue({ title: slot.title, capacity: slot.capacity })
  }, [slot, form])
  return (
    <Modal
      open={slot !== null}
      title={t.slots.editTitle}
      okText={t.common.confirm}
      cancelText={t.common.cancel}
      onCancel={onCancel}
      onOk={() =>
        form
          .validateFields()
          .then((values) => onSubmit({ title: values.title.trim(), capacity: values.capacity }))
          .catch(() => undefined)
      }
      destroyOnHidden
    >
      <Form form={form} name="editSlot" layout="vertical">
        <Form.Item
          name="title"
          label={t.slots.slotTitle}
          rules={[{ required: true, whitespace: true, message: t.slots.titleRequired }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="capacity" label={t.slots.capacity} rules={[{ required: true }]}>
          <InputNumber min={1} max={100_000} precision={0} style={{ width: 160 }} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  )
}
