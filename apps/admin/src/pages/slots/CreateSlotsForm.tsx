import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { CreateSlotsBody } from '@yuyue/contracts'
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  type DatePickerProps,
  Flex,
  Form,
  Input,
  InputNumber,
  TimePicker,
} from 'antd'
import { BusyButton } from '../../app/BusyButton'
import { useI18n } from '../../app/i18n'
import { auditKeys } from '../audit/api'
import { statsKey } from '../overview/api'
import { createSlots, slotKeys } from './api'

/**
 * A day or time as antd's pickers hand it back (a dayjs object; only its `format` is used, and
 * the type comes through antd).
 */
export type PickedDay = Exclude<NonNullable<DatePickerProps['value']>, unknown[]>

interface Values {
  dates: [PickedDay, PickedDay]
  times: { range: [PickedDay, PickedDay] }[]
  capacity: number
  title: string
}

function toBody(values: Values): CreateSlotsBody {
  return {
    from: values.dates[0].format('YYYY-MM-DD'),
    to: values.dates[1].format('YYYY-MM-DD'),
    times: values.times.map(({ range }) => ({
      start: range[0].format('HH:mm'),
      end: range[1].format('HH:mm'),
    })),
    capacity: values.capacity,
    title: values.title.trim(),
  }
}

/** Date range × time ranges × capacity × title, as one request (one transaction on the API). */
export function CreateSlotsForm({ onCreated }: { onCreated(firstDay: PickedDay): void }) {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const [form] = Form.useForm<Values>()
  const create = useMutation({
    mutationFn: (values: Values) => createSlots(toBody(values)),
    onSuccess: (answer, values) => {
      void message.success(t.slots.created(answer.items.length))
      void queryClient.invalidateQueries({ queryKey: slotKeys.all })
      void queryClient.invalidateQueries({ queryKey: statsKey })
      void queryClient.invalidateQueries({ queryKey: auditKeys.all })
      onCreated(values.dates[0])
    },
  })

  return (
    <Card title={t.slots.createTitle}>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ times: [{}], capacity: 10 }}
        onFinish={(values) => create.mutate(values)}
        disabled={create.isPending}
      >
        <Form.Item
          label={t.slots.dates}
          name="dates"
          rules={[{ required: true, message: t.slots.datesRequired }]}
        >
          <DatePicker.RangePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t.slots.times} required>
          <Form.List name="times">
            {(fields, { add, remove }) => (
              <Flex vertical gap="small">
                {fields.map((field, index) => (
                  <Flex key={field.key} gap="small" align="baseline">
                    <Form.Item
                      name={[field.name, 'range']}
                      rules={[{ required: true, message: t.slots.timesRequired }]}
                      style={{ flex: 1, marginBottom: 0 }}
                    >
                      <TimePicker.RangePicker
                        format="HH:mm"
                        minuteStep={5}
                        needConfirm={false}
                        placeholder={[t.slots.start, t.slots.end]}
                        aria-label={`${t.slots.times} ${index + 1}`}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        aria-label={t.slots.removeTime}
                        onClick={() => remove(field.name)}
                      />
                    )}
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  {t.slots.addTime}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item label={t.slots.capacity} name="capacity" rules={[{ required: true }]}>
          <InputNumber min={1} max={100_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t.slots.slotTitle}
          name="title"
          rules={[{ required: true, whitespace: true, message: t.slots.titleRequired }, { max: 64 }]}
        >
          <Input placeholder={t.slots.titlePlaceholder} maxLength={64} />
        </Form.Item>
        {create.error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={describeError(create.error)}
            style={{ marginBottom: 16 }}
          />
        )}
        <BusyButton type="primary" htmlType="submit" block label={t.slots.create} busy={create.isPending} />
      </Form>
    </Card>
  )
}
