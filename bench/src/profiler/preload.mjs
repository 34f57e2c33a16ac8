// Loaded into the API with NODE_OPTIONS=--import (Node refuses --cpu-prof there) by
// `pnpm bench --profile`. SIGUSR2 starts V8's CPU profiler; the next SIGUSR2 stops it and writes
// $BENCH_PROFILE_DIR/<pid>-<n>.cpuprofile (n = 1, 2, …), which the bench renames after the scenario.
// Every 2 s it appends the process's memory figures to $BENCH_PROFILE_DIR/<pid>-memory.jsonl, to
// tell the V8 heap from the rest of the resident memory.
import { appendFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'
import { getHeapSpaceStatistics } from 'node:v8'

const dir = process.env.BENCH_PROFILE_DIR
if (dir) {
  const session = new Session()
  session.connect()
  let running = false
  let written = 0
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true
      session.post('Profiler.enable', () => session.post('Profiler.start'))
      return
    }
    running = false
    session.post('Profiler.stop', (error, result) => {
      if (error) return
      written += 1
      writeFileSync(join(dir, `${process.pid}-${written}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
  const memoryLog = join(dir, `${process.pid}-memory.jsonl`)
  setInterval(() => {
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((space) => [space.space_name, Math.round(space.space_used_size / 1024)]),
    )
    appendFileSync(
      memoryLog,
      `${JSON.stringify({ t: Date.now(), ...process.memoryUsage(), spacesKb: spaces })}\n`,
    )
  }, 2000).unref()
}
