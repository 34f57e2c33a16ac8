// The part of autocannon 8's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  namespace autocannon {
    type Context = Record<string, unknown>

    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      /** Called before each request is sent; returns the request to send. */
      setupRequest?: (request: Request, context: Context) => Request
      onResponse?: (status: number, body: string, context: Context, headers: Record<string, unknown>) => void
    }

    interface Client extends EventEmitter {
      on(event: 'response', listener: (status: number, bytes: number, responseTimeMs: number) => void): this
      on(event: string, listener: (...args: unknown[]) => void): this
    }

    interface Options {
      url: string
      connections?: number
      /** seconds */
      duration?: number
      /** requests in all, spread evenly over the connections; overrides duration */
      amount?: number
      /** seconds */
      timeout?: number
      pipelining?: number
      overallRate?: number
      requests?: Request[]
      setupClient?: (client: Client) => void
      headers?: Record<string, string>
    }

    interface Histogram {
      average: number
      mean: number
      stddev: number
      min: number
      max: number
      p50: number
      p90: number
      p99: number
    }

    interface Result {
      requests: Histogram
      latency: Histogram
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      statusCodeStats: Record<string, { count: number }>
      start: Date
      finish: Date
    }

    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance
  export = autocannon
}
