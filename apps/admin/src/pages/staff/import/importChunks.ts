import { STAFF_IMPORT_MAX_ROWS, type StaffImportResult, type StaffImportRow } from '@yuyue/contracts'
import type { ImportableRow, RefusedRow } from './checkRows'
import type { StaffFilePreview } from './parseStaffFile'

/**
 * The API takes at most 5000 rows a request and a 2 MB body. 5000 rows of long Chinese names and
 * notes would pass the first limit and break the second, so chunks are cut by size too.
 */
export const CHUNK_MAX_BYTES = 1_500_000

/**
 * One request of the import, ready to send. The body is written in the worker: handing the page
 * 100 000 row objects costs it half a second of deserialising, one string per chunk costs nothing.
 */
export interface ImportChunk {
  /** `{"rows":[…]}`, the request body */
  body: string
  /** the file's row number of each row in `body`, in order */
  rows: Int32Array
}

/** What the page gets from the worker: the preview's counts and refused rows, and the chunks. */
export interface StaffImportPlan extends Omit<StaffFilePreview, 'valid'> {
  validCount: number
  chunks: ImportChunk[]
}

const encoder = new TextEncoder()
const BODY_OVERHEAD = '{"rows":[]}'.length

export function chunkRows(rows: readonly ImportableRow[], maxBytes = CHUNK_MAX_BYTES): ImportChunk[] {
  const maxRows = STAFF_IMPORT_MAX_ROWS
  const chunks: ImportChunk[] = []
  let json: string[] = []
  let numbers: number[] = []
  let bytes = BODY_OVERHEAD
  const close = () => {
    chunks.push({ body: `{"rows":[${json.join(',')}]}`, rows: Int32Array.from(numbers) })
    json = []
    numbers = []
    bytes = BODY_OVERHEAD
  }
  for (const row of rows) {
    const text = JSON.stringify(row.data)
    const size = encoder.encode(text).byteLength + 1
    if (json.length > 0 && (json.length >= maxRows || bytes + size > maxBytes)) close()
    json.push(text)
    numbers.push(row.row)
    bytes += size
  }
  if (json.length > 0) close()
  return chunks
}

/** What every chunk of one file tells the API about the file (SPEC §4), for one audit entry. */
export interface ImportLabel {
  importId: string
  fileName: string
  /** rows the preview refused: sent once, with the first chunk */
  fileInvalid: number
}

/**
 * The chunks with the file's label added to their bodies. Done once when the admin confirms, so a
 * retry after an interruption sends the same `importId` and adds to the same entry.
 */
export function labelChunks(chunks: readonly ImportChunk[], label: ImportLabel): ImportChunk[] {
  return chunks.map((chunk, i) => {
    const fields: Record<string, unknown> = { importId: label.importId, fileName: label.fileName }
    if (i === 0 && label.fileInvalid > 0) fields.fileInvalid = label.fileInvalid
    // the body is `{"rows":[…]}`: the fields go before its closing brace
    return { ...chunk, body: `${chunk.body.slice(0, -1)},${JSON.stringify(fields).slice(1)}` }
  })
}

export function planImport({ valid, ...preview }: StaffFilePreview): StaffImportPlan {
  return { ...preview, validCount: valid.length, chunks: chunkRows(valid) }
}

export interface ImportTotals {
  inserted: number
  updated: number
  unchanged: number
  promoted: number
  /** rows the API refused, reported with the file's row numbers */
  refused: RefusedRow[]
}

export const emptyTotals = (): ImportTotals => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  promoted: 0,
  refused: [],
})

/** Adds one chunk's answer; the API's `invalid[].index` is the row's place in that chunk. */
export function addChunkResult(
  totals: ImportTotals,
  chunk: ImportChunk,
  result: StaffImportResult,
): ImportTotals {
  // the sent rows are only read back in the rare case the API refused one
  const sent = result.invalid.length ? (JSON.parse(chunk.body) as { rows: StaffImportRow[] }).rows : []
  const refused = result.invalid.map(
    (item): RefusedRow => ({
      row: chunk.rows[item.index] ?? 0,
      mobile: sent[item.index]?.mobile ?? item.mobile,
      name: sent[item.index]?.name ?? '',
      note: sent[item.index]?.note ?? '',
      reason: item.reason,
    }),
  )
  return {
    inserted: totals.inserted + result.inserted,
    updated: totals.updated + result.updated,
    unchanged: totals.unchanged + result.unchanged,
    promoted: totals.promoted + result.promoted,
    refused: refused.length ? [...totals.refused, ...refused] : totals.refused,
  }
}

export interface ImportRun {
  chunks: readonly ImportChunk[]
  /** chunks already imported (a retried run starts after them) */
  done: number
  totals: ImportTotals
}

export class ImportInterrupted extends Error {
  override readonly name = 'ImportInterrupted'
  constructor(
    readonly run: ImportRun,
    override readonly cause: unknown,
  ) {
    super('staff import interrupted')
  }
}

/**
 * Sends the chunks one after another (each is one transaction on the API; in parallel they would
 * only wait on each other's locks), reporting progress after each. A failure keeps what was
 * done, so the rest can be retried: importing a row twice changes nothing.
 */
export async function runImport(
  run: ImportRun,
  send: (body: string, signal?: AbortSignal) => Promise<StaffImportResult>,
  onProgress: (run: ImportRun) => void,
  signal?: AbortSignal,
): Promise<ImportRun> {
  let current = run
  while (current.done < current.chunks.length) {
    const chunk = current.chunks[current.done]!
    let result: StaffImportResult
    try {
      result = await send(chunk.body, signal)
    } catch (error) {
      throw new ImportInterrupted(current, error)
    }
    current = { ...current, done: current.done + 1, totals: addChunkResult(current.totals, chunk, result) }
    onProgress(current)
  }
  return current
}

export function rowsIn(chunks: readonly ImportChunk[], upTo = chunks.length): number {
  let count = 0
  for (let i = 0; i < upTo; i++) count += chunks[i]?.rows.length ?? 0
  return count
}
