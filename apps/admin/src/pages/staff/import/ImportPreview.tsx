import { Alert, Button, Card, Col, Flex, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useI18n } from '../../../app/i18n'
import type { RefusedRow } from './checkRows'
import type { StaffImportPlan } from './importChunks'

/** A count with its name as the accessible label, so a test or a screen reader finds it by name. */
export function Count({ title, value, tone }: { title: string; value: number; tone?: 'success' | 'error' }) {
  const color = tone === 'success' ? '#389e0d' : tone === 'error' && value > 0 ? '#cf1322' : undefined
  return (
    <fieldset aria-label={title} style={{ border: 0, margin: 0, padding: 0, minWidth: 0 }}>
      <Statistic title={title} value={value} styles={{ content: color ? { color } : {} }} />
    </fieldset>
  )
}

export function RefusedRowsTable({ rows }: { rows: readonly RefusedRow[] }) {
  const { t } = useI18n()
  return (
    <Table<RefusedRow>
      size="small"
      rowKey={(row) => `${row.row}-${row.reason}`}
      dataSource={[...rows].sort((a, b) => a.row - b.row)}
      pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t.staffImport.line, dataIndex: 'row', width: 90 },
        { title: t.staff.mobile, dataIndex: 'mobile', render: (value: string) => value || t.common.none },
        { title: t.staff.name, dataIndex: 'name', ellipsis: true },
        {
          title: t.staffImport.reason,
          dataIndex: 'reason',
          render: (reason: RefusedRow['reason']) => (
            <Tag color={reason === 'DUPLICATE_IN_REQUEST' ? 'orange' : 'red'}>{t.importReasons[reason]}</Tag>
          ),
        },
      ]}
    />
  )
}

interface Props {
  preview: StaffImportPlan
  onConfirm(): void
  onCancel(): void
}

export function ImportPreview({ preview, onConfirm, onCancel }: Props) {
  const { t } = useI18n()
  const invalid = preview.invalid.length
  return (
    <Flex vertical gap="middle">
      <Space wrap>
        <Typography.Text strong>{t.staffImport.previewTitle(preview.fileName)}</Typography.Text>
        <Tag>{t.staffImport.encoding(t.staffImport.encodings[preview.encoding])}</Tag>
        <Tag>{preview.header ? t.staffImport.headerFound : t.staffImport.noHeader}</Tag>
      </Space>
      <Row gutter={16}>
        <Col span={6}>
          <Count title={t.staffImport.totalRows} value={preview.total} />
        </Col>
        <Col span={6}>
          <Count title={t.staffImport.validRows} value={preview.validCount} tone="success" />
        </Col>
        <Col span={6}>
          <Count title={t.staffImport.invalidRows} value={invalid} tone="error" />
        </Col>
        <Col span={6}>
          <Count title={t.staffImport.duplicateRows} value={preview.duplicates} />
        </Col>
      </Row>
      {invalid > 0 && (
        <Card size="small" title={t.staffImport.invalidListTitle}>
          <RefusedRowsTable rows={preview.invalid} />
        </Card>
      )}
      {preview.validCount === 0 && <Alert type="warning" showIcon title={t.staffImport.nothingValid} />}
      <Space>
        <Button type="primary" onClick={onConfirm} disabled={preview.validCount === 0}>
          {t.staffImport.confirm(preview.validCount)}
        </Button>
        <Button onClick={onCancel}>{t.staffImport.chooseAnother}</Button>
      </Space>
    </Flex>
  )
}
