import type { StaffImportResult } from '@yuyue/contracts'
import { describe, expect, it, vi } from 'vitest'
import type { ImportableRow } from './checkRows'
import {
  addChunkResult,
  chunkRows,
  emptyTotals,
  ImportInterrupted,
  labelChunks,
  runImport,
} from './importChunks'

const rows = (count: number, from = 2): ImportableRow[] =>
  Array.from({ length: count }, (_, i) => ({
    row: from + i,
    data: { mobile: `139${String(i).padStart(8, '0')}` },
  }))

const answer = (over: Partial<StaffImportResult> = {}): StaffImportResult => ({
  inserted: 0,
  updated: 0,
  unchanged: 0,
  promoted: 0,
  invalid: [],
  dryRun: false,
  ...over,
})

const sentRows = (body: string) => (JSON.parse(body) as { rows: unknown[] }).rows

describe('chunkRows', () => {
  it("cuts at 5000 rows a chunk, each a ready request body with the rows' numbers in the file", () => {
    const chunks = chunkRows(rows(12_001))
    expect(chunks.map((c) => c.rows.length)).toEqual([5000, 5000, 2001])
    expect(chunks[1]!.rows[0]).toBe(5002)
    const body = JSON.parse(chunks[2]!.body)
    expect(Object.keys(body)).toEqual(['rows'])
    expect(body.rows).toHaveLength(2001)
    expect(body.rows[0]).toEqual({ mobile: '13900010000' })
  })

  it('also cuts by size, so long names and notes stay under the API body limit', () => {
    const heavy = rows(5000).map((r) => ({
      ...r,
      data: { ...r.data, name: '名'.repeat(64), note: '备'.repeat(255) },
    }))
    const chunks = chunkRows(heavy)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(new TextEncoder().encode(chunk.body).length).toBeLessThanOrEqual(1_500_000)
    }
    expect(chunks.flatMap((c) => sentRows(c.body))).toHaveLength(5000)
  })

  it('makes no chunk of nothing', () => {
    expect(chunkRows([])).toEqual([])
  })
})

describe('addChunkResult', () => {
  it('sums the counts and reports refused rows by their row in the file', () => {
    const [chunk] = chunkRows(rows(3, 5002).map((r) => ({ ...r, data: { ...r.data, name: '甲' } })))
    const totals = addChunkResult({ ...emptyTotals(), inserted: 10 }, chunk!, {
      ...answer({ inserted: 1, updated: 1, promoted: 2 }),
      invalid: [{ index: 2, mobile: 'x', reason: 'INVALID_MOBILE' }],
    })
    expect(totals).toMatchObject({ inserted: 11, updated: 1, unchanged: 0, promoted: 2 })
    expect(totals.refused).toEqual([
      { row: 5004, mobile: '13900000002', name: '甲', note: '', reason: 'INVALID_MOBILE' },
    ])
  })
})

describe('runImport', () => {
  it('sends every chunk in order and reports progress after each', async () => {
    const chunks = chunkRows(rows(11_000))
    const send = vi.fn(async (body: string) => answer({ inserted: sentRows(body).length }))
    const progress = vi.fn()
    const run = await runImport({ chunks, done: 0, totals: emptyTotals() }, send, progress)
    expect(send.mock.calls.map(([body]) => sentRows(body).length)).toEqual([5000, 5000, 1000])
    expect(progress.mock.calls.map(([r]) => r.done)).toEqual([1, 2, 3])
    expect(run.totals.inserted).toBe(11_000)
  })

  it('stops at a failed chunk and resumes from it', async () => {
    const chunks = chunkRows(rows(11_000))
    let calls = 0
    const flaky = async (body: string) => {
      calls++
      if (calls === 2) throw new Error('network down')
      return answer({ inserted: sentRows(body).length })
    }
    const failure = await runImport({ chunks, done: 0, totals: emptyTotals() }, flaky, () => {}).catch(
      (e) => e,
    )
    expect(failure).toBeInstanceOf(ImportInterrupted)
    const interrupted = (failure as ImportInterrupted).run
    expect(interrupted.done).toBe(1)
    expect(interrupted.totals.inserted).toBe(5000)

    const resumed = await runImport(interrupted, flaky, () => {})
    expect(resumed.done).toBe(3)
    expect(resumed.totals.inserted).toBe(11_000)
    expect(calls).toBe(4)
  })
})

describe('labelChunks', () => {
  it('adds the import id and file name to every chunk, and the preview refusals to the first only', () => {
    const chunks = labelChunks(chunkRows(rows(7000)), {
      importId: 'import-1234',
      fileName: '名单 "A".csv',
      fileInvalid: 3,
    })
    const bodies = chunks.map((c) => JSON.parse(c.body))
    expect(bodies.map((b) => b.rows.length)).toEqual([5000, 2000])
    expect(bodies[0]).toMatchObject({ importId: 'import-1234', fileName: '名单 "A".csv', fileInvalid: 3 })
    expect(bodies[1]).toEqual({ rows: bodies[1].rows, importId: 'import-1234', fileName: '名单 "A".csv' })
    expect(chunks[1]!.rows).toHaveLength(2000)
  })
})
