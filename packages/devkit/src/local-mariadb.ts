import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort, isPortFree } from './free-port'
import { type MariadbBinaries, requireMariadbBinaries } from './mariadb-binaries'
import { allowRootOverTcp, rootOverTcp } from './mariadb-root-login'
import { probeMysqlServer } from './mysql-server'
import {
  fileSize,
  isOwnProcess,
  isProcessAlive,
  readNumberFile,
  runCommand,
  spawnDetached,
  stopProcess,
  tailOfFile,
} from './processes'
import { withStateLock } from './state-lock'

// sun_path holds 108 bytes including the terminating NUL; mariadbd aborts on a longer path.
const MAX_SOCKET_PATH = 107
const START_TIMEOUT_MS = 30_000
const PORT_ATTEMPTS = 3

export interface MariadbPaths {
  stateDir: string
  dataDir: string
  socket: string
  pidFile: string
  portFile: string
  errorLog: string
  lockFile: string
  initialisedMarker: string
}

export function mariadbPaths(stateDir: string): MariadbPaths {
  const dir = resolve(stateDir)
  const socketInStateDir = join(dir, 'mysqld.sock')
  const socket =
    Buffer.byteLength(socketInStateDir) <= MAX_SOCKET_PATH
      ? socketInStateDir
      : join(tmpdir(), `yuyue-mariadb-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`)
  return {
    stateDir: dir,
    dataDir: join(dir, 'data'),
    socket,
    pidFile: join(dir, 'mysqld.pid'),
    portFile: join(dir, 'port'),
    errorLog: join(dir, 'error.log'),
    lockFile: join(dir, 'start.lock'),
    initialisedMarker: join(dir, 'initialised'),
  }
}

/** The port of the project-local server in `stateDir`, started (and first initialised) if need be. */
export async function ensureLocalMariadb(stateDir: string, log: (line: string) => void): Promise<number> {
  const paths = mariadbPaths(stateDir)
  await mkdir(paths.stateDir, { recursive: true })
  const running = await runningServer(paths)
  if (running && (await probeMysqlServer(rootOverTcp(running.port))).state === 'ready') return running.port
  return withStateLock(paths.lockFile, async () => {
    const current = await runningServer(paths)
    if (current) {
      // Alive but not (yet) answering: e.g. still recovering after a crash.
      await waitUntilAnswering(paths, current.pid, 0)
      await allowRootOverTcp(paths.socket, current.port, log)
      return current.port
    }
    const binaries = await requireMariadbBinaries(log)
    if (!isInitialised(paths)) await initialiseDataDir(paths, binaries, log)
    const port = await startServer(paths, binaries, log)
    await allowRootOverTcp(paths.socket, port, log)
    return port
  })
}

/** Stops the server of `stateDir` if it runs; its data stays for the next start. */
export async function stopLocalMariadb(stateDir: string): Promise<boolean> {
  const paths = mariadbPaths(stateDir)
  const pid = await readNumberFile(paths.pidFile)
  if (!pid || !isOwnProcess(pid, dataDirArgument(paths))) return false
  await stopProcess(pid, 60_000)
  await rm(paths.pidFile, { force: true })
  return true
}

async function runningServer(paths: MariadbPaths): Promise<{ pid: number; port: number } | undefined> {
  const [pid, port] = await Promise.all([readNumberFile(paths.pidFile), readNumberFile(paths.portFile)])
  if (!pid || !port || !isOwnProcess(pid, dataDirArgument(paths))) return undefined
  return { pid, port }
}

function isInitialised(paths: MariadbPaths): boolean {
  return existsSync(paths.initialisedMarker) && existsSync(join(paths.dataDir, 'mysql'))
}

async function initialiseDataDir(
  paths: MariadbPaths,
  binaries: MariadbBinaries,
  log: (line: string) => void,
) {
  // Without the marker, whatever is in the data directory is the remains of a failed first run.
  await rm(paths.dataDir, { recursive: true, force: true })
  log(`initialising a MariaDB data directory in ${paths.dataDir}`)
  const user = `--user=${userInfo().username}`
  if (binaries.installDb) {
    const args = ['--no-defaults', user, `--datadir=${paths.dataDir}`]
    if (binaries.installDbOptions.has('--auth-root-authentication-method')) {
      args.push('--auth-root-authentication-method=socket')
    }
    if (binaries.installDbOptions.has('--skip-test-db')) args.push('--skip-test-db')
    await runCommand(binaries.installDb, args)
  } else {
    await runCommand(binaries.server, [
      '--no-defaults',
      '--initialize-insecure',
      user,
      `--datadir=${paths.dataDir}`,
    ])
  }
  await writeFile(paths.initialisedMarker, `${new Date().toISOString()}\n`)
}

async function startServer(paths: MariadbPaths, binaries: MariadbBinaries, log: (line: string) => void) {
  const remembered = await readNumberFile(paths.portFile)
  let port = remembered && (await isPortFree(remembered)) ? remembered : await freePort()
  for (let attempt = 1; ; attempt++) {
    await writeFile(paths.portFile, `${port}\n`)
    const logOffset = await fileSize(paths.errorLog)
    log(`starting MariaDB on 127.0.0.1:${port} (data in ${paths.dataDir}, log in ${paths.errorLog})`)
    const server = spawnDetached(binaries.server, serverArguments(paths, port), paths.errorLog)
    // Recorded now, not when the server gets round to it, so a run that dies meanwhile still knows the pid.
    await writeFile(paths.pidFile, `${server.pid}\n`)
    try {
      await waitUntilAnswering(paths, server.pid, logOffset)
      return port
    } catch (error) {
      // Another process may take the free port between our check and the server's bind.
      const portTaken = error instanceof ServerExitedError && /Bind on TCP\/IP port/.test(error.logTail)
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error
      port = await freePort()
    }
  }
}

function serverArguments(paths: MariadbPaths, port: number): string[] {
  return [
    '--no-defaults',
    `--user=${userInfo().username}`,
    dataDirArgument(paths),
    `--socket=${paths.socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${paths.pidFile}`,
    `--log-error=${paths.errorLog}`,
    '--skip-log-bin',
    // Clients on 127.0.0.1 then match root@127.0.0.1 instead of the socket-only root@localhost.
    '--skip-name-resolve',
  ]
}

function dataDirArgument(paths: MariadbPaths): string {
  return `--datadir=${paths.dataDir}`
}

class ServerExitedError extends Error {
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(message)
  }
}

/** Any answer on the socket counts, even a refused login: the server is up. */
async function waitUntilAnswering(paths: MariadbPaths, pid: number, logOffset: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  for (;;) {
    if (!isProcessAlive(pid)) {
      const tail = await tailOfFile(paths.errorLog, 20, logOffset)
      throw new ServerExitedError(
        `MariaDB (pid ${pid}) exited while starting; end of ${paths.errorLog}:\n${tail}`,
        tail,
      )
    }
    const probe = await probeMysqlServer({
      socketPath: paths.socket,
      user: userInfo().username,
      connectTimeout: 1000,
    })
    if (probe.state !== 'unreachable') return
    if (Date.now() > deadline) {
      const tail = await tailOfFile(paths.errorLog, 20, logOffset)
      throw new Error(
        `MariaDB (pid ${pid}) did not answer on ${paths.socket} within ${START_TIMEOUT_MS / 1000} s; end of ${paths.errorLog}:\n${tail}`,
      )
    }
    await sleep(100)
  }
}
