import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type LoadResult, summarize } from '../src/load'
import { alternated, median, medianOfRounds, roundsNote } from '../src/rounds'

function round(latencies: number[], rps: number, statuses: Record<string, number>, cpu: number): LoadResult {
  return {
    requests: latencies.length,
    durationMs: 1000,
    rps,
    latency: summarize(latencies),
    byKind: { phone: summarize(latencies.map((l) => l * 2)) },
    statuses,
    errors: 0,
    timeouts: 0,
    cpuMsPerRequest: { server: cpu },
  }
}

describe('comparisons by rounds', () => {
  it("alternates the sides A B, B A, A B and keeps each side's rounds in order", async () => {
    const calls: string[] = []
    const side = (name: string) => async (round: number) => {
      calls.push(`${name}${round}`)
      return `${name}${round}`
    }
    const [a, b] = await alternated(3, side('a'), side('b'))
    assert.deepEqual(calls, ['a0', 'b0', 'b1', 'a1', 'a2', 'b2'])
    assert.deepEqual(a, ['a0', 'a1', 'a2'])
    assert.deepEqual(b, ['b0', 'b1', 'b2'])
  })

  it('takes the median of each figure, not a percentile of the pooled answers, and sums the counts', () => {
    const rounds = [
      round([1, 2, 3, 40], 100, { '200': 4 }, 0.3),
      round([1, 2, 3, 10], 300, { '200': 3, '500': 1 }, 0.1),
      round([1, 2, 3, 20], 200, { '200': 4 }, 0.2),
    ]
    const combined = medianOfRounds(rounds)
    assert.equal(combined.latency.p99, 20)
    assert.equal(combined.latency.max, 20)
    assert.equal(combined.byKind.phone!.p99, 40)
    assert.equal(combined.rps, 200)
    assert.equal(combined.cpuMsPerRequest.server, 0.2)
    assert.equal(combined.requests, 12)
    assert.equal(combined.latency.count, 12)
    assert.deepEqual(combined.statuses, { '200': 11, '500': 1 })
    assert.equal(median([4, 1, 3, 2]), 2.5)
  })

  it('names the rounds only when there are several', () => {
    assert.equal(roundsNote([5], String), '')
    assert.equal(
      roundsNote([5, 6, 7], String),
      "; the median of 3 rounds, alternated with the floor's (5, 6, 7)",
    )
  })
})
