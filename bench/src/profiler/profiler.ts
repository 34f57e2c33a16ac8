import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

const preload = join(dirname(fileURLToPath(import.meta.url)), 'preload.mjs')

/** The API's extra environment for profiling into `dir` (see preload.mjs). */
export function profilingEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true })
  return { NODE_OPTIONS: `--import ${preload}`, BENCH_PROFILE_DIR: dir }
}

/** Drives the preload of one API process: start, then stop and name the profile written. */
export class ApiProfiler {
  private written = 0

  constructor(
    private readonly pid: number,
    private readonly dir: string,
  ) {}

  start(): void {
    process.kill(this.pid, 'SIGUSR2')
  }

  async stop(label: string): Promise<string> {
    process.kill(this.pid, 'SIGUSR2')
    this.written += 1
    const file = join(this.dir, `${this.pid}-${this.written}.cpuprofile`)
    for (let waited = 0; !existsSync(file); waited += 50) {
      if (waited > 30_000) throw new Error(`no profile from the API in ${file}`)
      await sleep(50)
    }
    // written in one synchronous call, but give the write a moment to land before reading
    await sleep(100)
    const target = join(this.dir, `${label}.cpuprofile`)
    renameSync(file, target)
    return target
  }
}

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

/** Where a frame's code comes from: a package, the API's bundle, Node itself, or V8. */
function origin(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)'
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]!
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
  if (url.includes('/apps/api/dist/')) return 'api (dist/server.js)'
  return url.replace(/^file:\/\//, '')
}

export interface ProfileSummary {
  /** milliseconds sampled */
  totalMs: number
  /** self time by origin (package, node, V8), largest first */
  byOrigin: { origin: string; ms: number; share: number }[]
  /** self time by function, largest first */
  byFunction: { fn: string; ms: number; share: number }[]
}

/** Self time of a .cpuprofile, by origin and by function. */
export function summarizeProfile(path: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  const origins = new Map<string, number>()
  const functions = new Map<string, number>()
  let total = 0
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    total += ms
    const from = origin(url, functionName)
    origins.set(from, (origins.get(from) ?? 0) + ms)
    const fn = `${functionName || '(anonymous)'} ${from}${url ? `:${lineNumber + 1}` : ''}`
    functions.set(fn, (functions.get(fn) ?? 0) + ms)
  }
  const ranked = <K extends string>(map: Map<string, number>, key: K) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, ms]) =>
          ({ [key]: name, ms, share: ms / total }) as { [P in K]: string } & { ms: number; share: number },
      )
  return { totalMs: total, byOrigin: ranked(origins, 'origin'), byFunction: ranked(functions, 'fn') }
}
