import { App, Card } from 'antd'
import { useI18n } from '../../../app/i18n'
import { ImportDropzone } from './ImportDropzone'
import { ImportPreview } from './ImportPreview'
import { ImportProgress } from './ImportProgress'
import { ImportResult } from './ImportResult'
import type { StaffImportPlan } from './importChunks'
import { useStaffImport } from './useStaffImport'

/** File → preview → chunks with progress → result. `readFile` is replaceable for tests. */
export function StaffImport({ readFile }: { readFile?: (file: File) => Promise<StaffImportPlan> }) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const { state, choose, confirm, retry, reset } = useStaffImport(readFile)

  return (
    <Card title={t.staff.importTitle}>
      {(state.phase === 'choose' || state.phase === 'parsing') && (
        <ImportDropzone
          parsingName={state.phase === 'parsing' ? state.fileName : undefined}
          fileError={state.phase === 'choose' ? state.fileError : undefined}
          onFile={(file) => void choose(file)}
          onWrongType={() => void message.error(t.staffImport.wrongType)}
        />
      )}
      {state.phase === 'preview' && (
        <ImportPreview preview={state.preview} onConfirm={confirm} onCancel={reset} />
      )}
      {state.phase === 'importing' && <ImportProgress run={state.run} onRetry={retry} onCancel={reset} />}
      {state.phase === 'interrupted' && (
        <ImportProgress run={state.run} error={state.error} onRetry={retry} onCancel={reset} />
      )}
      {state.phase === 'done' && <ImportResult preview={state.preview} run={state.run} onDone={reset} />}
    </Card>
  )
}
