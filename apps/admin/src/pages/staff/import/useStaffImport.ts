import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { auditKeys } from '../../audit/api'
import { statsKey } from '../../overview/api'
import { userKeys } from '../../users/api'
import { importStaffChunk, staffKeys } from '../api'
import { StaffFileError, type StaffFileErrorCode } from './columns'
import {
  emptyTotals,
  ImportInterrupted,
  type ImportRun,
  labelChunks,
  runImport,
  type StaffImportPlan,
} from './importChunks'
import { readStaffFile } from './readStaffFile'

export type StaffImportState =
  | { phase: 'choose'; fileError?: StaffFileErrorCode }
  | { phase: 'parsing'; fileName: string }
  | { phase: 'preview'; preview: StaffImportPlan }
  | { phase: 'importing'; preview: StaffImportPlan; run: ImportRun }
  | { phase: 'interrupted'; preview: StaffImportPlan; run: ImportRun; error: unknown }
  | { phase: 'done'; preview: StaffImportPlan; run: ImportRun }

/**
 * The import from file to result: parse (in a worker), preview, send in chunks, sum up. Leaving
 * the page stops sending (the chunks already sent stay imported); closing the tab asks first.
 */
export function useStaffImport(readFile: (file: File) => Promise<StaffImportPlan> = readStaffFile) {
  const [state, setState] = useState<StaffImportState>({ phase: 'choose' })
  const queryClient = useQueryClient()
  const abort = useRef<AbortController | null>(null)
  const chosen = useRef(0)

  useEffect(() => () => abort.current?.abort(), [])
  useEffect(() => {
    if (state.phase !== 'importing') return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [state.phase])

  const choose = useCallback(
    async (file: File) => {
      const attempt = ++chosen.current
      setState({ phase: 'parsing', fileName: file.name })
      try {
        const preview = await readFile(file)
        if (attempt === chosen.current) setState({ phase: 'preview', preview })
      } catch (error) {
        if (attempt !== chosen.current) return
        setState({ phase: 'choose', fileError: error instanceof StaffFileError ? error.code : 'UNREADABLE' })
      }
    },
    [readFile],
  )

  const send = useCallback(
    async (preview: StaffImportPlan, from: ImportRun) => {
      const controller = new AbortController()
      abort.current = controller
      setState({ phase: 'importing', preview, run: from })
      try {
        const run = await runImport(
          from,
          importStaffChunk,
          (progress) => setState({ phase: 'importing', preview, run: progress }),
          controller.signal,
        )
        setState({ phase: 'done', preview, run })
      } catch (error) {
        if (controller.signal.aborted) return
        const run = error instanceof ImportInterrupted ? error.run : from
        setState({
          phase: 'interrupted',
          preview,
          run,
          error: error instanceof ImportInterrupted ? error.cause : error,
        })
      } finally {
        // whatever was committed changed the directory, roles, counts and the log
        for (const queryKey of [staffKeys.all, userKeys.all, statsKey, auditKeys.all])
          void queryClient.invalidateQueries({ queryKey })
      }
    },
    [queryClient],
  )

  const confirm = useCallback(() => {
    if (state.phase !== 'preview' || state.preview.validCount === 0) return
    const { preview } = state
    const chunks = labelChunks(preview.chunks, {
      importId: crypto.randomUUID(),
      fileName: preview.fileName,
      fileInvalid: preview.invalid.length,
    })
    void send(preview, { chunks, done: 0, totals: emptyTotals() })
  }, [send, state])

  const retry = useCallback(() => {
    if (state.phase === 'interrupted') void send(state.preview, state.run)
  }, [send, state])

  const reset = useCallback(() => {
    chosen.current++
    setState({ phase: 'choose' })
  }, [])

  return { state, choose, confirm, retry, reset }
}
