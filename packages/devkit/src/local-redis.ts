import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, isPortFree } from './free-port'
import { fileSize, isOwnProcess, readNumberFile, spawnDetached, stopProcess, tailOfFile } from './processes'
import { pingRedis } from './redis-server'
import { withStateLock } from './state-lock'
import { findExecutable, installSystemPackages } from './system-packages'

const START_TIMEOUT_MS = 10_000
const PORT_ATTEMPTS = 3

export interface RedisPaths {
  stateDir: string
  pidFile: string
  portFile: string
  logFile: string
  lockFile: string
}

export function redisPaths(stateDir: string): RedisPaths {
  const dir = resolve(stateDir)
  return {
    stateDir: dir,
    pidFile: join(dir, 'redis.pid'),
    portFile: join(dir, 'port'),
    logFile: join(dir, 'redis.log'),
    lockFile: join(dir, 'start.lock'),
  }
}

export async function ensureLocalRedis(stateDir: string, log: (line: string) => void): Promise<number> {
  const paths = redisPaths(stateDir)
  await mkdir(paths.stateDir, { recursive: true })
  const running = await answeringServer(paths)
  if (running) return running
  return withStateLock(paths.lockFile, async () => {
    const current = await answeringServer(paths)
    if (current) return current
    // Redis starts in milliseconds; one that is alive but silent under the lock is wedged.
    await stopLocalRedisServer(paths.stateDir)
    const server = await requireRedisServer(log)
    return startRedis(paths, server, log)
  })
}

export async function stopLocalRedisServer(stateDir: string): Promise<boolean> {
  const paths = redisPaths(stateDir)
  const [pid, port] = await Promise.all([readNumberFile(paths.pidFile), readNumberFile(paths.portFile)])
  if (!pid || !port || !isOwnRedis(pid, port)) return false
  await stopProcess(pid, 10_000)
  await rm(paths.pidFile, { force: true })
  return true
}

/**
 * Redis retitles its process "redis-server 127.0.0.1:<port>": checking that, not just the pid,
 * keeps a recycled pid or the machine's own Redis from being taken for ours (and stopped).
 */
function isOwnRedis(pid: number, port: number): boolean {
  return isOwnProcess(pid, `redis-server 127.0.0.1:${port}`)
}

async function answeringServer(paths: RedisPaths): Promise<number | undefined> {
  const [pid, port] = await Promise.all([readNumberFile(paths.pidFile), readNumberFile(paths.portFile)])
  if (!pid || !port || !isOwnRedis(pid, port)) return undefined
  return (await pingRedis(`redis://127.0.0.1:${port}`)).state === 'ready' ? port : undefined
}

async function requireRedisServer(log: (line: string) => void): Promise<string> {
  const found = findExecutable(['redis-server'])
  if (found) return found
  await installSystemPackages(['redis-server'], 'No redis-server on this machine', log)
  const installed = findExecutable(['redis-server'])
  if (!installed) throw new Error('redis-server was installed but cannot be found')
  return installed
}

async function startRedis(paths: RedisPaths, server: string, log: (line: string) => void): Promise<number> {
  const remembered = await readNumberFile(paths.portFile)
  let port = remembered && (await isPortFree(remembered)) ? remembered : await freePort()
  for (let attempt = 1; ; attempt++) {
    await writeFile(paths.portFile, `${port}\n`)
    const logOffset = await fileSize(paths.logFile)
    log(`starting redis-server on 127.0.0.1:${port} (log in ${paths.logFile})`)
    await rm(paths.pidFile, { force: true })
    // --daemonize: the process we spawn forks the server and exits; the server writes the pid file.
    const launcher = spawnDetached(server, serverArguments(paths, port), paths.logFile)
    // Held until it exits, or a caller with nothing else to do would exit before the server is up.
    launcher.ref()
    const launched = await new Promise<number | null>((done) => {
      if (launcher.exitCode !== null) done(launcher.exitCode)
      else launcher.once('exit', (code) => done(code))
    })
    const outcome = launched === 0 ? await waitUntilAnswering(paths, port, logOffset) : 'failed'
    if (outcome === 'ready') return port
    const tail = await tailOfFile(paths.logFile, 20, logOffset)
    // Another process may take the free port between our check and the server's bind.
    if (!/Address already in use/.test(tail) || attempt >= PORT_ATTEMPTS) {
      throw new Error(`redis-server did not answer on 127.0.0.1:${port}; end of ${paths.logFile}:\n${tail}`)
    }
    port = await freePort()
  }
}

function serverArguments(paths: RedisPaths, port: number): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    // A cache and lock store for dev and tests: nothing worth persisting.
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--pidfile',
    paths.pidFile,
    '--logfile',
    paths.logFile,
    '--dir',
    paths.stateDir,
  ]
}

async function waitUntilAnswering(
  paths: RedisPaths,
  port: number,
  logOffset: number,
): Promise<'ready' | 'failed'> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if ((await pingRedis(`redis://127.0.0.1:${port}`, 500)).state === 'ready') {
      const pid = await readNumberFile(paths.pidFile)
      if (pid && isOwnRedis(pid, port)) return 'ready'
    }
    // The daemon logs why it gave up (e.g. "Failed listening on port …, aborting") and exits.
    if (/aborting|# FATAL/i.test(await tailOfFile(paths.logFile, 20, logOffset))) return 'failed'
    await sleep(50)
  }
  return 'failed'
}
