export interface EnsureServiceOptions {
  /** Defaults to the environment variable (DATABASE_URL / REDIS_URL), then the local default. */
  url?: string
  /** Where a project-local server keeps its data, logs, pid and port. */
  stateDir?: string
  log?: (line: string) => void
}

export interface EnsuredService {
  url: string
  /** `existing`: the configured server answered; `local`: a project-local server is used. */
  source: 'existing' | 'local'
}

export function defaultLog(line: string): void {
  process.stderr.write(`[devkit] ${line}\n`)
}
