import { StaffFileError } from './columns'
import { planImport } from './importChunks'
import { parseStaffFile } from './parseStaffFile'
import type { ParseReply, ParseRequest } from './workerProtocol'

// Reading a 100 000-row file takes a noticeable moment; here it never blocks the page.
// (typed by hand: the WebWorker lib cannot be combined with the DOM lib the rest of the app uses)
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null
  postMessage(message: ParseReply, transfer: Transferable[]): void
}

scope.onmessage = async (event: MessageEvent<ParseRequest>) => {
  const { id, file } = event.data
  try {
    const bytes = new Uint8Array(await file.arrayBuffer())
    const plan = planImport(await parseStaffFile(file.name, bytes))
    // the row-number arrays move to the page instead of being copied
    scope.postMessage(
      { id, ok: true, plan },
      plan.chunks.map((chunk) => chunk.rows.buffer),
    )
  } catch (error) {
    scope.postMessage(
      { id, ok: false, code: error instanceof StaffFileError ? error.code : 'UNREADABLE' },
      [],
    )
  }
}
