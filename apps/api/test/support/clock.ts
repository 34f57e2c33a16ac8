/** A clock tests can move: "the slot has started" without waiting for it. */
export function testClock(start = new Date()) {
  let now = start.getTime()
  return {
    now: () => new Date(now),
    set: (instant: Date) => {
      now = instant.getTime()
    },
    advance: (ms: number) => {
      now += ms
    },
  }
}

/** `YYYY-MM-DD` in Shanghai, `days` after the given instant. */
export function shanghaiDate(instant: Date, days = 0): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000 + days * 86_400_000)
  return shifted.toISOString().slice(0, 10)
}
