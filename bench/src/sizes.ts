/** How big each scenario is: the full run (the targets) and the quick one (the test command). */
export interface Sizes {
  /** connections of every scenario unless it says otherwise */
  connections: number
  /** people stored for "silent login, existing users picked at random from N" */
  loginPopulation: number
  /** people stored in the large database (admin search, the 1M side of the scaling comparison) */
  largePopulation: number
  /** people stored in the small database (the 1k side of the scaling comparison) */
  smallPopulation: number
  /** requests of one measured login round, and of the warm-up before the rounds */
  loginRequests: number
  warmupRequests: number
  /** measured rounds of each side of a comparison, alternated (floor, API, floor, API…) */
  rounds: number
  /** new people who log in for the first time, then bind a phone */
  bindings: number
  meSeconds: number
  searchSeconds: number
  importRows: number
  importChunk: number
  stormRequests: number
  stormCapacity: number
  stormConnections: number
  /** people whose tokens drive the storm and the mixed load */
  sessions: number
  /** reminders due at the same instant */
  reminders: number
  memorySeconds: number
  memorySampleMs: number
  /** the window at the end of the memory run in which RSS must not grow */
  memoryJudgedSeconds: number
}

export const FULL: Sizes = {
  connections: 32,
  loginPopulation: 100_000,
  largePopulation: 1_000_000,
  smallPopulation: 1_000,
  loginRequests: 15_000,
  warmupRequests: 3_000,
  rounds: 3,
  bindings: 10_000,
  meSeconds: 10,
  searchSeconds: 10,
  importRows: 100_000,
  importChunk: 5_000,
  stormRequests: 10_000,
  stormCapacity: 100,
  stormConnections: 256,
  sessions: 10_000,
  reminders: 10_000,
  memorySeconds: 300,
  memorySampleMs: 5_000,
  memoryJudgedSeconds: 180,
}

export const QUICK: Sizes = {
  connections: 32,
  loginPopulation: 2_000,
  largePopulation: 2_000,
  smallPopulation: 200,
  loginRequests: 1_500,
  warmupRequests: 300,
  rounds: 1,
  bindings: 500,
  meSeconds: 2,
  searchSeconds: 2,
  importRows: 10_000,
  importChunk: 5_000,
  stormRequests: 1_000,
  stormCapacity: 20,
  stormConnections: 256,
  sessions: 1_000,
  reminders: 500,
  memorySeconds: 20,
  memorySampleMs: 1_000,
  memoryJudgedSeconds: 12,
}
