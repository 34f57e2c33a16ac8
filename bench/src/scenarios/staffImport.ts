import type { RowDataPacket } from 'mysql2/promise'
import { adminToken, type BenchContext } from '../context'
import { runLoad, serverErrors } from '../load'
import { isStaffCandidate, mobileOf, STAFF_PREFIX } from '../people'
import { fmt, type ScenarioReport } from '../report'

interface ImportAnswer {
  inserted: number
  updated: number
  unchanged: number
  promoted: number
  invalid: unknown[]
}

/**
 * An admin imports a staff file the way the dashboard sends it: chunks of 5000 rows, one after
 * the other. One row in a hundred is the number of someone already bound (they become staff);
 * the rest are new numbers. Timed from the first request to the last answer.
 */
export async function staffImport(ctx: BenchContext): Promise<Omit<ScenarioReport, 'seconds'>> {
  const { importRows, importChunk } = ctx.sizes
  const population = ctx.large.population
  const known: number[] = []
  for (let n = 1; n <= population && known.length < importRows / 100; n++) {
    if (isStaffCandidate(n) && mobileOf(n)) known.push(n)
  }
  const rows = Array.from({ length: importRows }, (_, i) => {
    const mobile = i % 100 === 0 && known[i / 100] !== undefined ? mobileOf(known[i / 100]!)! : null
    return {
      mobile: mobile ?? `${STAFF_PREFIX}${String(i).padStart(8, '0')}`,
      name: `员工${i + 1}`,
      note: i % 3 === 0 ? `第${(i % 40) + 1}组` : undefined,
    }
  })
  const chunks: string[] = []
  for (let i = 0; i < rows.length; i += importChunk)
    chunks.push(JSON.stringify({ rows: rows.slice(i, i + importChunk) }))
  const token = await adminToken(ctx, ctx.large)

  const answers: ImportAnswer[] = []
  let index = 0
  const result = await runLoad({
    baseUrl: ctx.large.stack.apiUrl,
    connections: 1,
    amount: chunks.length,
    next: () => ({
      method: 'POST',
      path: '/api/admin/staff/import',
      headers: { authorization: `Bearer ${token}` },
      rawBody: chunks[index++],
    }),
    onResponse: (_request, status, body) => {
      if (status === 200) answers.push(JSON.parse(body) as ImportAnswer)
    },
  })
  const seconds = result.durationMs / 1000
  const inserted = answers.reduce((sum, a) => sum + a.inserted, 0)
  const promoted = answers.reduce((sum, a) => sum + a.promoted, 0)
  const invalid = answers.reduce((sum, a) => sum + a.invalid.length, 0)
  const [[stored]] = await ctx.large.db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM staff_directory')
  const [[staff]] = await ctx.large.db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM users WHERE role = 'staff'`,
  )

  return {
    id: 'staff-import',
    title: `staff import, ${fmt.count(importRows)} rows in chunks of ${fmt.count(importChunk)}`,
    rows: [
      {
        measured: `${seconds.toFixed(2)} s in all (${fmt.count(Math.round(importRows / seconds))} rows/s, slowest chunk ${fmt.ms(result.latency.max)})`,
        target: '≤ 5 s in total',
        pass: ctx.quick ? null : seconds <= 5,
      },
    ],
    checks: [
      {
        what: 'every chunk answered 200',
        ok: answers.length === chunks.length && result.errors === 0,
        detail: `${answers.length} of ${chunks.length}, ${serverErrors(result)} 5xx`,
      },
      {
        what: 'rows stored in staff_directory',
        ok: Number(stored?.n) === importRows && inserted === importRows && invalid === 0,
        detail: `${fmt.count(Number(stored?.n))} stored, ${fmt.count(inserted)} reported inserted`,
      },
      {
        what: 'bound people promoted to staff',
        ok: promoted === known.length && Number(staff?.n) === known.length,
        detail: `${promoted} promoted, ${Number(staff?.n)} staff in users, ${known.length} expected`,
      },
    ],
    figures: {
      rows: importRows,
      chunk: importChunk,
      seconds,
      chunkLatency: result.latency,
      promoted,
      inserted,
    },
  }
}
