import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100

/** CPU seconds (user + system) a process has used so far; NaN when it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // fields after the command name, which may itself contain spaces and parentheses
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

function processes(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
  } catch {
    return []
  }
}

/**
 * The database server's process (mariadbd or mysqld) listening on `port`, when it runs on this
 * machine: the one started with --port=<port>, else (for 3306) the one started without --port.
 */
export function databasePid(port: number): number | undefined {
  const servers = processes().flatMap((pid) => {
    try {
      if (!/^(mariadbd|mysqld)$/.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return []
      return [{ pid, args: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0') }]
    } catch {
      return []
    }
  })
  const withPort = (args: string[]) => {
    const at = args.findIndex((arg) => arg === '--port' || arg.startsWith('--port='))
    if (at < 0) return undefined
    return Number(args[at]!.includes('=') ? args[at]!.split('=')[1] : args[at + 1])
  }
  return (
    servers.find((server) => withPort(server.args) === port)?.pid ??
    (port === 3306 ? servers.find((server) => withPort(server.args) === undefined)?.pid : undefined)
  )
}

/** The sandbox process started by devkit's startStack for this URL (it gets its port in SANDBOX_PORT). */
export function sandboxPid(sandboxUrl: string): number | undefined {
  const port = new URL(sandboxUrl).port
  return processes().find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SANDBOX_PORT=${port}`)
    } catch {
      return false
    }
  })
}

/**
 * CPU time of named processes over a stretch of time, plus this process (the load generator, as "autocannon").
 * Where a request's cost goes: the API, the sandbox, the database server, autocannon.
 */
export class CpuMeter {
  private readonly before = new Map<string, number>()
  private selfBefore = process.cpuUsage()

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.start()
  }

  start(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      if (pid !== undefined) this.before.set(name, cpuSeconds(pid))
    }
    this.selfBefore = process.cpuUsage()
  }

  /** CPU seconds used by each process since start (the load generator as "autocannon"). */
  read(): Record<string, number> {
    const used: Record<string, number> = {}
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.before.get(name)
      if (pid !== undefined && before !== undefined) used[name] = cpuSeconds(pid) - before
    }
    const self = process.cpuUsage(this.selfBefore)
    used.autocannon = (self.user + self.system) / 1e6
    return used
  }
}
