/**
 * Real time plus an offset that only grows, so tests can reach code and token expiry
 * without waiting while delays (faults) still take real time.
 */
export class SandboxClock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the sandbox clock only moves forward')
    this.offsetMs += ms
    return this.now()
  }

  reset(): void {
    this.offsetMs = 0
  }
}
