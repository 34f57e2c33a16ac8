import type { Latency, LoadResult } from './load'

/** Median of a few figures (the rounds of a comparison). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * Measures two sides round by round, alternated (A B, B A, A B…), so a noisy neighbour or the
 * VM's drift within the hour slows both rather than one. Returns each side's rounds, in order.
 */
export async function alternated<T>(
  rounds: number,
  a: (round: number) => Promise<T>,
  b: (round: number) => Promise<T>,
): Promise<[T[], T[]]> {
  const results: [T[], T[]] = [[], []]
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      results[side]!.push(await (side === 0 ? a : b)(round))
    }
  }
  return results
}

/** Each percentile the median of the rounds'; the count a total. */
export function medianLatency(list: Latency[]): Latency {
  const of = (key: keyof Latency) => median(list.map((l) => l[key]))
  return {
    count: list.reduce((sum, l) => sum + l.count, 0),
    mean: of('mean'),
    p50: of('p50'),
    p90: of('p90'),
    p95: of('p95'),
    p99: of('p99'),
    max: of('max'),
  }
}

/** Counts by key (statuses, answer codes), added up over the rounds. */
export function summed(list: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {}
  for (const item of list)
    for (const [key, value] of Object.entries(item)) total[key] = (total[key] ?? 0) + value
  return total
}

/**
 * The rounds of one side as one result: each rate, percentile and CPU figure is the median of the
 * rounds' (a percentile of the pooled answers would let the slowest round decide it), and the
 * counts are totals, so a check of "every request answered 200" covers every round.
 */
export function medianOfRounds(rounds: LoadResult[]): LoadResult {
  const kinds = [...new Set(rounds.flatMap((r) => Object.keys(r.byKind)))]
  const processes = [...new Set(rounds.flatMap((r) => Object.keys(r.cpuMsPerRequest)))]
  return {
    requests: rounds.reduce((sum, r) => sum + r.requests, 0),
    durationMs: rounds.reduce((sum, r) => sum + r.durationMs, 0),
    rps: median(rounds.map((r) => r.rps)),
    latency: medianLatency(rounds.map((r) => r.latency)),
    byKind: Object.fromEntries(
      kinds.map((kind) => [kind, medianLatency(rounds.flatMap((r) => r.byKind[kind] ?? []))]),
    ),
    statuses: summed(rounds.map((r) => r.statuses)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    timeouts: rounds.reduce((sum, r) => sum + r.timeouts, 0),
    cpuMsPerRequest: Object.fromEntries(
      processes.map((name) => [name, median(rounds.map((r) => r.cpuMsPerRequest[name] ?? 0))]),
    ),
  }
}

/** "; the median of 3 rounds alternated with the floor's (17.7, 19.4, 20.7 ms)", or nothing for one round. */
export function roundsNote(values: number[], format: (value: number) => string): string {
  if (values.length < 2) return ''
  return `; the median of ${values.length} rounds, alternated with the floor's (${values.map(format).join(', ')})`
}

/** What the results JSON keeps of each round. */
export function roundFigures(rounds: LoadResult[]) {
  return rounds.map((r) => ({ rps: r.rps, latency: r.latency, cpuMsPerRequest: r.cpuMsPerRequest }))
}
