import { StaffFileError } from './columns'
import type { StaffImportPlan } from './importChunks'
import type { ParseReply, ParseRequest } from './workerProtocol'

let nextId = 1

/**
 * Parses a chosen file off the main thread. One worker per file, ended afterwards: parsing is
 * rare, and a 100 000-row file's memory goes with the worker.
 */
export function readStaffFile(file: File): Promise<StaffImportPlan> {
  const worker = new Worker(new URL('./importWorker.ts', import.meta.url), { type: 'module' })
  const id = nextId++
  return new Promise<StaffImportPlan>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ParseReply>) => {
      if (event.data.id !== id) return
      worker.terminate()
      if (event.data.ok) resolve(event.data.plan)
      else reject(new StaffFileError(event.data.code))
    }
    worker.onerror = () => {
      worker.terminate()
      reject(new StaffFileError('UNREADABLE'))
    }
    worker.postMessage({ id, file } satisfies ParseRequest)
  })
}
