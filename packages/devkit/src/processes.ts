import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

const hasProcFs = existsSync('/proc/self/stat')

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (!hasProcFs) return true
  // A killed child its parent has not reaped yet still answers kill(0); it is a zombie, not a server.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    return false
  }
}

/**
 * Whether `pid` is alive and its command line mentions `marker` (e.g. its data directory), so a pid
 * recycled by an unrelated process is not mistaken for our server. Without /proc the pid is trusted.
 */
export function isOwnProcess(pid: number, marker: string): boolean {
  if (!isProcessAlive(pid)) return false
  if (!hasProcFs) return true
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(marker)
  } catch {
    return false
  }
}

export async function readNumberFile(path: string): Promise<number | undefined> {
  try {
    const value = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    return Number.isInteger(value) && value > 0 ? value : undefined
  } catch {
    return undefined
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false
    await sleep(50)
  }
  return true
}

/** SIGTERM, then SIGKILL if the process ignores it for `graceMs`. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  if (await waitForExit(pid, graceMs)) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    return
  }
  await waitForExit(pid, 5_000)
}

/**
 * Starts a server that must outlive this process: its own session (so Ctrl-C or a test runner
 * killing our group does not reach it) and its output appended to `logFile` instead of our pipes.
 */
export function spawnDetached(
  command: string,
  args: string[],
  logFile: string,
): ChildProcess & { pid: number } {
  const log = openSync(logFile, 'a')
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] })
    child.on('error', () => {})
    child.unref()
    if (child.pid === undefined) throw new Error(`could not start ${command}`)
    return child as ChildProcess & { pid: number }
  } finally {
    closeSync(log)
  }
}

/** Runs a command to completion; on failure the error carries the end of its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    })
    let output = ''
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.once('error', (error) => reject(new Error(`${command} could not run: ${error.message}`)))
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output)
      else {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`
        reject(new Error(`${command} ${args.join(' ')} ${how}:\n${lastLines(output, 20)}`))
      }
    })
  })
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n')
}

export async function tailOfFile(path: string, lines = 20, fromByte = 0): Promise<string> {
  try {
    const content = await readFile(path)
    return lastLines(content.subarray(fromByte).toString('utf8'), lines)
  } catch {
    return `(no ${path})`
  }
}

export async function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    () => 0,
  )
}
