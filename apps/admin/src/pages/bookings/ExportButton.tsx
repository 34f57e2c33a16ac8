import { DownloadOutlined } from '@ant-design/icons'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { App, Button, Checkbox, Popover, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../app/i18n'
import { downloadBlob } from '../../lib/download'
import { auditKeys } from '../audit/api'
import { exportBookings } from './api'

/** 导出: the chosen days' bookings as XLSX or CSV, phones masked unless asked for in full. */
export function ExportButton({ from, to }: { from?: string; to?: string }) {
  const { t, describeError } = useI18n()
  const { message } = App.useApp()
  const queryClient = useQueryClient()
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx')
  const [fullPhones, setFullPhones] = useState(false)
  const run = useMutation({
    mutationFn: () => exportBookings({ from: from!, to: to!, format, fullPhones }),
    onSuccess: (blob) => {
      downloadBlob(`预约名单-${from}-${to}.${format}`, blob)
      void message.success(t.bookings.exported)
      void queryClient.invalidateQueries({ queryKey: auditKeys.all })
    },
    onError: (error) => void message.error(describeError(error)),
  })
  const ready = Boolean(from && to)
  const content = (
    <Space direction="vertical">
      {!ready && <Typography.Text type="warning">{t.bookings.exportNeedsDates}</Typography.Text>}
      <Select
        aria-label={t.bookings.exportFormat}
        value={format}
        onChange={setFormat}
        style={{ width: 140 }}
        options={[
          { value: 'xlsx', label: 'Excel (.xlsx)' },
          { value: 'csv', label: 'CSV' },
        ]}
      />
      <Checkbox checked={fullPhones} onChange={(e) => setFullPhones(e.target.checked)}>
        {t.bookings.fullPhones}
      </Checkbox>
      <Button type="primary" disabled={!ready} loading={run.isPending} onClick={() => run.mutate()}>
        {t.bookings.export}
      </Button>
    </Space>
  )
  return (
    <Popover content={content} trigger="click" placement="bottomRight">
      <Button icon={<DownloadOutlined />}>{t.bookings.export}</Button>
    </Popover>
  )
}
