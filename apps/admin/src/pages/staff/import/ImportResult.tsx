import { DownloadOutlined } from '@ant-design/icons'
import { Button, Card, Col, Progress, Result, Row } from 'antd'
import { useI18n } from '../../../app/i18n'
import { downloadText } from '../../../lib/download'
import { Count, RefusedRowsTable } from './ImportPreview'
import type { ImportRun, StaffImportPlan } from './importChunks'
import { refusedRowsCsv } from './staffCsv'

interface Props {
  preview: StaffImportPlan
  run: ImportRun
  onDone(): void
}

export function ImportResult({ preview, run, onDone }: Props) {
  const { t } = useI18n()
  const { totals } = run
  // refused by the preview (never sent) and by the API (normally none: both check alike)
  const refused = [...preview.invalid, ...totals.refused]
  const baseName = preview.fileName.replace(/\.[^.]+$/, '')
  return (
    <>
      <Progress percent={100} status="success" aria-label={t.staffImport.progressLabel} />
      <Result
        status="success"
        title={t.staffImport.resultTitle}
        subTitle={preview.fileName}
        extra={[
          refused.length > 0 && (
            <Button
              key="invalid"
              icon={<DownloadOutlined />}
              onClick={() => downloadText(t.staffImport.invalidFile(baseName), refusedRowsCsv(refused, t))}
            >
              {t.staffImport.downloadInvalid(refused.length)}
            </Button>
          ),
          <Button key="again" type="primary" onClick={onDone}>
            {t.staffImport.importAnother}
          </Button>,
        ]}
      >
        <Row gutter={16}>
          <Col span={5}>
            <Count title={t.staffImport.inserted} value={totals.inserted} tone="success" />
          </Col>
          <Col span={5}>
            <Count title={t.staffImport.updated} value={totals.updated} />
          </Col>
          <Col span={4}>
            <Count title={t.staffImport.unchanged} value={totals.unchanged} />
          </Col>
          <Col span={5}>
            <Count title={t.staffImport.promoted} value={totals.promoted} />
          </Col>
          <Col span={5}>
            <Count title={t.staffImport.invalidRows} value={refused.length} tone="error" />
          </Col>
        </Row>
      </Result>
      {refused.length > 0 && (
        <Card size="small" title={t.staffImport.invalidListTitle}>
          <RefusedRowsTable rows={refused} />
        </Card>
      )}
    </>
  )
}
