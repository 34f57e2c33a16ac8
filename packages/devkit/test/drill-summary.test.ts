import { describe, expect, it } from 'vitest'
import { type Sample, summarise } from '../src/drill/load'

const sample = (start: number, end: number, status: number): Sample => ({
  kind: 'booking',
  start,
  end,
  status,
})

describe('a fault’s summary', () => {
  it('counts two bursts of 503 apart as two outages, and reports the longer one', () => {
    const samples = [
      sample(0, 100, 200),
      sample(1000, 1200, 503),
      sample(1500, 2500, 503),
      sample(2600, 2700, 200),
      sample(9000, 9100, 503),
      sample(9200, 9300, 200),
    ]
    const summary = summarise(samples, 0, 10_000)
    expect(summary.failures).toBe(3)
    expect(summary.longestOutageMs).toBe(1500)
    expect(summary.errorSpanMs).toBe(8100)
    expect(summary.byStatus).toEqual({ '200': 3, '503': 3 })
    expect(summary.failuresBySecond).toEqual({ '1': 2, '9': 1 })
  })

  it('measures the longest time without a success, to the end of the window', () => {
    const samples = [sample(0, 100, 200), sample(200, 4100, 200), sample(4200, 4300, 0)]
    const summary = summarise(samples, 0, 6000)
    expect(summary.longestStallMs).toBe(4000)
    expect(summary.failures).toBe(1)
  })

  it('counts the 4xx answers of each kind by their error code', () => {
    const samples = [
      sample(0, 10, 200),
      { ...sample(20, 30, 403), code: 'PHONE_REQUIRED' },
      { ...sample(40, 50, 409), code: 'SLOT_FULL' },
      { ...sample(60, 70, 409), code: 'SLOT_FULL' },
    ]
    expect(summarise(samples, 0, 100).byKind).toEqual({
      booking: { '200': 1, '403 PHONE_REQUIRED': 1, '409 SLOT_FULL': 2 },
    })
  })

  it('leaves out requests started outside the window', () => {
    const summary = summarise([sample(0, 50, 500), sample(5000, 5100, 200)], 1000, 6000)
    expect(summary.requests).toBe(1)
    expect(summary.status500).toBe(0)
  })
})
