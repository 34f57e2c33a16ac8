import { Alert, Button, Flex, Progress, Typography } from 'antd'
import { useI18n } from '../../../app/i18n'
import { type ImportRun, rowsIn } from './importChunks'

interface Props {
  run: ImportRun
  /** set when a chunk failed: the import stopped there and can go on from it */
  error?: unknown
  onRetry(): void
  onCancel(): void
}

export function ImportProgress({ run, error, onRetry, onCancel }: Props) {
  const { t, describeError } = useI18n()
  const total = rowsIn(run.chunks)
  const done = rowsIn(run.chunks, run.done)
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
  return (
    <Flex vertical gap="middle">
      <Typography.Text strong>
        {error ? t.staffImport.failed(done, total) : t.staffImport.importing}
      </Typography.Text>
      <Progress
        percent={percent}
        status={error ? 'exception' : 'active'}
        aria-label={t.staffImport.progressLabel}
        aria-valuetext={t.staffImport.progressText(done, total)}
      />
      <Typography.Text type="secondary">{t.staffImport.progressText(done, total)}</Typography.Text>
      {error !== undefined && (
        <>
          <Alert type="error" showIcon role="alert" title={describeError(error)} />
          <Flex gap="small">
            <Button type="primary" onClick={onRetry}>
              {t.staffImport.retryRest}
            </Button>
            <Button onClick={onCancel}>{t.staffImport.chooseAnother}</Button>
          </Flex>
        </>
      )}
    </Flex>
  )
}
