import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
  parseDatabaseUrl,
  repoRoot,
} from '@yuyue/devkit'
import mysql from 'mysql2/promise'

/** Newest modification time of the files under `path` (a file or a directory), in ms. */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    )
  })
}

/**
 * Builds the API when dist/server.js is missing or older than anything it is bundled from (its own
 * sources and build script, and the workspace packages esbuild inlines).
 */
export async function ensureApiBuilt(log: (line: string) => void): Promise<void> {
  const root = repoRoot()
  const bundle = join(root, 'apps/api/dist/server.js')
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0
  const sources = Math.max(
    newestMtime(join(root, 'apps/api/src')),
    newestMtime(join(root, 'apps/api/build.mjs')),
    newestMtime(join(root, 'apps/api/package.json')),
    newestMtime(join(root, 'packages/contracts/src')),
  )
  if (built > sources) return
  log(built ? 'apps/api/dist is older than its sources: building the API' : 'building the API')
  await run('pnpm', ['--filter', '@yuyue/api', 'build'], root)
}

const DATABASE_PREFIX = 'yuyue_bench_'

/** Whether a process with this id is alive (a zombie counts as dead). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The databases of one run: `yuyue_bench_<pid>_<role>`, so runs side by side (a quick run in the
 * test command while someone runs the full one) never share a database. Those a crashed run left
 * behind (its pid is gone) are dropped on the way in.
 */
export class BenchDatabases {
  private readonly created = new Set<string>()

  private constructor(readonly serverUrl: string) {}

  static async open(log: (line: string) => void): Promise<BenchDatabases> {
    const ensured = await ensureDatabase({ log })
    const databases = new BenchDatabases(ensured.url)
    await databases.dropAbandoned(log)
    return databases
  }

  /** A fresh (dropped and recreated) database for `role`. */
  async fresh(role: string): Promise<string> {
    const url = databaseUrlFor(this.serverUrl, `${DATABASE_PREFIX}${process.pid}_${role}`)
    await dropDatabase(url)
    await createDatabase(url)
    this.created.add(url)
    return url
  }

  async dropAll(): Promise<void> {
    for (const url of this.created) await dropDatabase(url)
    this.created.clear()
  }

  /** A connection pool on one of this run's databases (seeding and checks). */
  pool(url: string): mysql.Pool {
    return mysql.createPool({ uri: url, connectionLimit: 4, timezone: 'Z', supportBigNumbers: true })
  }

  /**
   * Makes InnoDB's buffer pool at least `bytes` for the run (MariaDB and MySQL resize it live),
   * as the deployment notes ask of a production server: a login's cost must not depend on a
   * default 128 MB pool that 1 000 000 people (~0.5 KB each) no longer fit. Answers what was
   * found and a function that puts it back; a server that refuses (no privilege) is measured as
   * it is, and says so.
   */
  async sizeBufferPool(
    bytes: number,
    log: (line: string) => void,
  ): Promise<{ foundBytes: number; runBytes: number; restore: () => Promise<void> }> {
    const connection = await this.serverConnection()
    try {
      const read = async () => {
        const [rows] = await connection.query<mysql.RowDataPacket[]>(
          'SELECT @@innodb_buffer_pool_size AS size',
        )
        return Number(rows[0]?.size)
      }
      const foundBytes = await read()
      if (foundBytes >= bytes) return { foundBytes, runBytes: foundBytes, restore: async () => {} }
      try {
        await connection.query('SET GLOBAL innodb_buffer_pool_size = ?', [bytes])
      } catch (error) {
        log(`the buffer pool stays at ${mib(foundBytes)}: ${(error as Error).message}`)
        return { foundBytes, runBytes: foundBytes, restore: async () => {} }
      }
      const runBytes = await read()
      log(`InnoDB buffer pool ${mib(foundBytes)} → ${mib(runBytes)} for the run (put back at the end)`)
      return {
        foundBytes,
        runBytes,
        restore: async () => {
          const again = await this.serverConnection()
          try {
            await again.query('SET GLOBAL innodb_buffer_pool_size = ?', [foundBytes])
          } finally {
            await again.end()
          }
        },
      }
    } finally {
      await connection.end()
    }
  }

  private serverConnection(): Promise<mysql.Connection> {
    const target = parseDatabaseUrl(this.serverUrl)
    return mysql.createConnection({
      ...(target.socketPath ? { socketPath: target.socketPath } : { host: target.host, port: target.port }),
      user: target.user,
      password: target.password,
    })
  }

  private async dropAbandoned(log: (line: string) => void): Promise<void> {
    const connection = await this.serverConnection()
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(`SHOW DATABASES LIKE 'yuyue\\_bench\\_%'`)
      for (const row of rows) {
        const name = String(Object.values(row)[0])
        const pid = Number(/^yuyue_bench_(\d+)_/.exec(name)?.[1])
        if (!Number.isInteger(pid) || isAlive(pid)) continue
        log(`dropping ${name}, left behind by an earlier run`)
        await dropDatabase(databaseUrlFor(this.serverUrl, name))
      }
    } finally {
      await connection.end()
    }
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 1048576)} MB`

export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url')
}
