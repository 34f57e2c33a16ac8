import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { isProcessAlive } from '../src/processes'

export const quiet = (): void => {}

export function temporaryStateDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `yuyue-devkit-${name}-`))
}

export async function removeStateDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}`
}

/** Live (not zombie) processes whose command line contains `marker`, e.g. `--datadir=…`. */
export function processesMentioning(marker: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    try {
      const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
      if (commandLine.includes(marker) && isProcessAlive(pid)) pids.push(pid)
    } catch {}
  }
  return pids
}

export function readPid(file: string): number {
  return Number(readFileSync(file, 'utf8').trim())
}

const fixture = fileURLToPath(new URL('./fixtures/ensure-service.ts', import.meta.url))
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')

/** Runs ensureDatabase/ensureRedis in a separate Node process, as turbo's parallel test tasks do. */
export async function ensureInChildProcess(
  service: 'database' | 'redis',
  url: string,
  stateDir: string,
): Promise<{ url: string; source: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [tsxCli, fixture, service, url, stateDir], {
    timeout: 120_000,
  })
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '')
}

/**
 * A MariaDB that is already running: the machine's own on 3306 when it answers (as on the dev and
 * CI machines), otherwise one started for the test, so the suite passes without a system service.
 */
export async function runningDatabaseServer(): Promise<{ serverUrl: string; release: () => Promise<void> }> {
  const { probeMysqlServer } = await import('../src/mysql-server')
  const systemUrl = 'mysql://root@127.0.0.1:3306'
  if (
    (await probeMysqlServer({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 1500 })).state ===
    'ready'
  ) {
    return { serverUrl: systemUrl, release: async () => {} }
  }
  const { ensureDatabase, freePort, stopLocalDatabase } = await import('../src/index')
  const stateDir = await temporaryStateDir('running-server')
  const closed = `mysql://root@127.0.0.1:${await freePort()}/yuyue_test_devkit_server`
  const { url } = await ensureDatabase({ url: closed, stateDir, log: quiet })
  return {
    serverUrl: url.replace(/\/[^/]*$/, ''),
    release: async () => {
      await stopLocalDatabase(stateDir)
      await removeStateDir(stateDir)
    },
  }
}
