import { StaffFileError } from './columns'
import { parseStaffFile } from './parseStaffFile'
import type { ParseReply, ParseRequest } from './workerProtocol'

// Reading a 100 000-row file takes a noticeable moment; here it never blocks the page.
// (typed by hand: the WebWorker lib cannot be combined with the DOM lib the rest of the app uses)
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ParseRequest>) => void) | null
  postMessage(message: ParseReply): void
}

scope.onmessage = async (event: MessageEvent<ParseRequest>) => {
  const { id, file } = event.data
  let reply: ParseReply
  try {
    const bytes = new Uint8Array(await file.arrayBuffer())
    reply = { id, ok: true, preview: await parseStaffFile(file.name, bytes) }
  } catch (error) {
    reply = { id, ok: false, code: error instanceof StaffFileError ? error.code : 'UNREADABLE' }
  }
  scope.postMessage(reply)
}
