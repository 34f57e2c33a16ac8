import { STAFF_IMPORT_MAX_ROWS, type StaffImportResult, type StaffImportRow } from '@yuyue/contracts'
import type { ImportableRow, RefusedRow } from './checkRows'

/**
 * The API takes at most 5000 rows a request and a 2 MB body. 5000 rows of long Chinese names and
 * notes would pass the first limit and break the second, so chunks are cut by size too.
 */
export const CHUNK_MAX_BYTES = 1_500_000

const encoder = new TextEncoder()

export function chunkRows(
  rows: readonly ImportableRow[],
  maxRows = STAFF_IMPORT_MAX_ROWS,
  maxBytes = CHUNK_MAX_BYTES,
): ImportableRow[][] {
  const chunks: ImportableRow[][] = []
  let current: ImportableRow[] = []
  let bytes = 0
  for (const row of rows) {
    const size = encoder.encode(JSON.stringify(row.data)).byteLength + 1
    if (current.length > 0 && (current.length >= maxRows || bytes + size > maxBytes)) {
      chunks.push(current)
      current = []
      bytes = 0
    }
    current.push(row)
    bytes += size
  }
  if (current.length > 0) chunks.push(current)
  return chunks
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
  chunk: readonly ImportableRow[],
  result: StaffImportResult,
) {
  const refused = result.invalid.map((item): RefusedRow => {
    const source = chunk[item.index]
    return {
      row: source?.row ?? 0,
      mobile: source?.data.mobile ?? item.mobile,
      name: source?.data.name ?? '',
      note: source?.data.note ?? '',
      reason: item.reason,
    }
  })
  return {
    inserted: totals.inserted + result.inserted,
    updated: totals.updated + result.updated,
    unchanged: totals.unchanged + result.unchanged,
    promoted: totals.promoted + result.promoted,
    refused: refused.length ? [...totals.refused, ...refused] : totals.refused,
  }
}

export interface ImportRun {
  chunks: ImportableRow[][]
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
  send: (rows: StaffImportRow[], signal?: AbortSignal) => Promise<StaffImportResult>,
  onProgress: (run: ImportRun) => void,
  signal?: AbortSignal,
): Promise<ImportRun> {
  let current = run
  while (current.done < current.chunks.length) {
    const chunk = current.chunks[current.done]!
    let result: StaffImportResult
    try {
      result = await send(
        chunk.map((row) => row.data),
        signal,
      )
    } catch (error) {
      throw new ImportInterrupted(current, error)
    }
    current = { ...current, done: current.done + 1, totals: addChunkResult(current.totals, chunk, result) }
    onProgress(current)
  }
  return current
}

export function rowsIn(chunks: readonly ImportableRow[][], upTo = chunks.length): number {
  let count = 0
  for (let i = 0; i < upTo; i++) count += chunks[i]?.length ?? 0
  return count
}
