import { DownloadOutlined, InboxOutlined } from '@ant-design/icons'
import { Alert, Button, Flex, Spin, Typography, Upload } from 'antd'
import { useI18n } from '../../../app/i18n'
import { downloadText } from '../../../lib/download'
import type { StaffFileErrorCode } from './columns'
import { staffFileKind } from './fileKind'
import { staffTemplateCsv } from './staffCsv'

interface Props {
  parsingName?: string
  fileError?: StaffFileErrorCode
  onFile(file: File): void
  onWrongType(): void
}

export function ImportDropzone({ parsingName, fileError, onFile, onWrongType }: Props) {
  const { t } = useI18n()
  return (
    <Flex vertical gap="middle">
      {fileError && <Alert type="error" showIcon role="alert" title={t.staffImport.fileErrors[fileError]} />}
      <Spin
        spinning={parsingName !== undefined}
        description={parsingName && t.staffImport.parsing(parsingName)}
      >
        <Upload.Dragger
          accept=".csv,.txt,.xlsx"
          multiple={false}
          showUploadList={false}
          disabled={parsingName !== undefined}
          aria-label={t.staffImport.dropLabel}
          beforeUpload={(file) => {
            // nothing is uploaded as is: the file is read here and its rows sent after the preview
            if (staffFileKind(file.name)) onFile(file)
            else onWrongType()
            return Upload.LIST_IGNORE
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t.staffImport.dropTitle}</p>
          <p className="ant-upload-hint">{t.staffImport.dropHint}</p>
        </Upload.Dragger>
      </Spin>
      <Flex justify="space-between" align="center">
        <Typography.Text type="secondary">{t.staffImport.templateColumns}</Typography.Text>
        <Button
          icon={<DownloadOutlined />}
          onClick={() => downloadText(t.staffImport.templateFile, staffTemplateCsv())}
        >
          {t.staffImport.template}
        </Button>
      </Flex>
    </Flex>
  )
}
