import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { CpuMeter } from './cpu'

/** One request of a load run; `kind` splits the latency figures (e.g. the kind of search). */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  headers?: Record<string, string>
  /** sent as JSON */
  body?: unknown
  /** a body already serialized as JSON (large ones, built before the clock starts) */
  rawBody?: string
  kind?: string
  /** anything the caller wants back in `onResponse` (whose token, which code…) */
  tag?: unknown
}

export interface LoadSpec {
  baseUrl: string
  connections: number
  /** requests in all (exactly this many are sent); otherwise `durationSeconds` */
  amount?: number
  durationSeconds?: number
  /** an open-loop rate in requests per second over all connections (latency at a given load) */
  overallRate?: number
  /** the next request to send: called once per request, so single-use codes are never sent twice */
  next: () => LoadRequest
  onResponse?: (request: LoadRequest, status: number, body: string) => void
  timeoutSeconds?: number
  /** processes whose CPU time is measured over the run (the load generator always is, as "autocannon") */
  watch?: Record<string, number | undefined>
  /** keep every response's time, latency and status (for a timeline) */
  keepSamples?: boolean
}

export interface Latency {
  count: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  max: number
}

export interface LoadResult {
  /** responses received */
  requests: number
  durationMs: number
  rps: number
  latency: Latency
  byKind: Record<string, Latency>
  /** responses per HTTP status */
  statuses: Record<string, number>
  /** connection errors and timeouts (no response at all) */
  errors: number
  timeouts: number
  /** CPU milliseconds per response, by process */
  cpuMsPerRequest: Record<string, number>
  /** with keepSamples: [ms since the start, latency ms, status] of every response, in order */
  samples?: [number, number, number][]
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export function summarize(samples: number[]): Latency {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const value of sorted) sum += value
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  }
}

interface InFlight {
  request: LoadRequest
}

/**
 * Runs one load with autocannon. Every request comes from `spec.next()` (autocannon calls
 * `setupRequest` once per request it sends), and every response's latency is kept, so the
 * percentiles are exact and can be split by kind. Latencies of all statuses count: a booking
 * storm is mostly 409s, and those are answers the user waits for too.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.baseUrl)
  const latencies: number[] = []
  const kinds = new Map<string, number[]>()
  const statuses: Record<string, number> = {}
  // onResponse (per request) runs just before the client's 'response' event (with the time), in
  // the same tick: the request answered is handed over through this variable.
  let answered: LoadRequest | undefined
  const samples: [number, number, number][] | undefined = spec.keepSamples ? [] : undefined

  const requests: autocannon.Request[] = [
    {
      setupRequest(request, context) {
        const next = spec.next()
        ;(context as unknown as InFlight).request = next
        request.method = next.method
        request.path = next.path
        request.headers = { ...next.headers }
        if (next.rawBody !== undefined || next.body !== undefined) {
          request.headers['content-type'] = 'application/json'
          request.body = next.rawBody ?? JSON.stringify(next.body)
        } else {
          request.body = undefined
        }
        return request
      },
      onResponse(status, body, context) {
        const inFlight = (context as unknown as InFlight).request
        answered = inFlight
        if (inFlight) spec.onResponse?.(inFlight, status, body)
      },
    },
  ]

  const cpu = new CpuMeter(spec.watch ?? {})
  const started = performance.now()
  // autocannon notices the end of an `amount` run on its one-second tick: the time is measured to
  // the last answer instead, or a 1.2 s run would count as 2 s
  let lastResponseAt = started
  const instance = autocannon({
    url: url.origin,
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.durationSeconds ?? 10 }),
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    timeout: spec.timeoutSeconds ?? 30,
    requests,
    setupClient(client) {
      client.on('response', (status: number, _bytes: number, responseTimeMs: number) => {
        lastResponseAt = performance.now()
        latencies.push(responseTimeMs)
        samples?.push([lastResponseAt - started, responseTimeMs, status])
        statuses[status] = (statuses[status] ?? 0) + 1
        const kind = answered?.kind
        if (kind !== undefined) {
          const list = kinds.get(kind)
          if (list) list.push(responseTimeMs)
          else kinds.set(kind, [responseTimeMs])
        }
        answered = undefined
      })
    },
  })
  const result = await instance
  const cpuUsed = cpu.read()
  const durationMs = lastResponseAt - started
  return {
    requests: latencies.length,
    durationMs,
    rps: latencies.length / (durationMs / 1000),
    latency: summarize(latencies),
    byKind: Object.fromEntries([...kinds].map(([kind, list]) => [kind, summarize(list)])),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(samples ? { samples } : {}),
    cpuMsPerRequest: Object.fromEntries(
      Object.entries(cpuUsed).map(([name, seconds]) => [
        name,
        (seconds * 1000) / Math.max(1, latencies.length),
      ]),
    ),
  }
}

/** Responses with a 5xx status. */
export function serverErrors(result: LoadResult): number {
  return Object.entries(result.statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, count]) => sum + count, 0)
}
