import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { percentile, summarize } from '../src/load'
import { renderMarkdown, renderTable, type ScenarioReport } from '../src/report'

describe('latency figures', () => {
  it('takes the nearest-rank percentile', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    assert.equal(percentile(sorted, 50), 50)
    assert.equal(percentile(sorted, 99), 99)
    assert.equal(percentile(sorted, 100), 100)
    assert.ok(Number.isNaN(percentile(new Float64Array(0), 99)))
  })

  it('summarizes unsorted samples', () => {
    const summary = summarize([5, 1, 3, 2, 4])
    assert.deepEqual({ ...summary }, { count: 5, mean: 3, p50: 3, p90: 5, p95: 5, p99: 5, max: 5 })
  })
})

const report: ScenarioReport = {
  id: 'storm',
  title: '抢号 storm',
  rows: [
    { measured: 'p99 480 ms', target: 'p99 ≤ 300 ms', pass: false },
    { measured: 'first wave p50 464 ms', target: '', pass: null },
  ],
  checks: [{ what: '100 booked', ok: true, target: 'exactly 100 booked' }],
  figures: {},
  seconds: 1,
}

describe('the table', () => {
  it('prints MISS beside a missed target, nothing beside an explanation, ok beside a check', () => {
    const lines = renderTable([report]).split('\n')
    assert.match(lines[2]!, /^抢号 storm +p99 480 ms +p99 ≤ 300 ms +MISS$/)
    assert.match(lines[3]!, /^ +first wave p50 464 ms$/)
    assert.match(lines[4]!, /100 booked +exactly 100 booked +ok$/)
    // CJK characters take two columns: the measured column starts at the same place on every line
    assert.equal(lines[2]!.indexOf('p99') + 2, lines[3]!.indexOf('first'))
  })

  it('says FAIL for a scenario that threw, in Markdown too', () => {
    const failed = { ...report, rows: [], checks: [], error: 'boom | bang' }
    assert.match(renderTable([failed]), /ERROR: boom \| bang +FAIL/)
    assert.match(renderMarkdown([failed]), /\| 抢号 storm \| ERROR: boom \\\| bang \| \| FAIL \|/)
  })
})
