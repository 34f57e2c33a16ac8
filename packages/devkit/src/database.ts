import { join } from 'node:path'
import { parseDatabaseUrl, redactUrl } from './database-url'
import { ensureLocalMariadb, stopLocalMariadb } from './local-mariadb'
import { createDatabase, probeMysqlServer, serverConnectionOptions } from './mysql-server'
import { repoRoot } from './repo-root'
import { defaultLog, type EnsuredService, type EnsureServiceOptions } from './service'

export const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/yuyue'

export function defaultDatabaseStateDir(): string {
  return join(repoRoot(), '.local', 'mariadb')
}

/**
 * A database that answers: the configured server if it is up (the database is created if missing),
 * otherwise a project-local MariaDB started from the system's binaries, reused across runs.
 */
export async function ensureDatabase(options: EnsureServiceOptions = {}): Promise<EnsuredService> {
  const configured = options.url ?? process.env.DATABASE_URL
  const url = configured ?? DEFAULT_DATABASE_URL
  const log = options.log ?? defaultLog
  const target = parseDatabaseUrl(url)
  if (!target.database) throw new Error(`${redactUrl(url)} names no database`)

  const probe = await probeMysqlServer(serverConnectionOptions(target, 1500))
  if (probe.state === 'ready') {
    await createDatabase(url)
    return { url, source: 'existing' }
  }
  if (probe.state === 'refused' && configured !== undefined) {
    // Someone chose this server; quietly using another one would hide their mistake.
    throw new Error(
      `${redactUrl(url)} answers but refuses the login (${probe.reason}); fix DATABASE_URL or unset it`,
    )
  }
  const stateDir = options.stateDir ?? defaultDatabaseStateDir()
  log(`${redactUrl(url)} is not usable (${probe.reason}); using the project-local MariaDB in ${stateDir}`)
  const port = await ensureLocalMariadb(stateDir, log)
  const localUrl = `mysql://root@127.0.0.1:${port}/${target.database}`
  await createDatabase(localUrl)
  return { url: localUrl, source: 'local' }
}

/** Stops the project-local MariaDB (tests, cleanup); false when none was running. */
export function stopLocalDatabase(stateDir: string = defaultDatabaseStateDir()): Promise<boolean> {
  return stopLocalMariadb(stateDir)
}
