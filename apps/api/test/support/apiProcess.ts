import { type ChildProcess, spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { freePort } from '@yuyue/devkit'

export interface ApiProcess {
  url: string
  child: ChildProcess
  /** what it wrote, for a failing test's message */
  output(): string
  /** SIGKILL: the process dies where it stands, nothing recorded */
  kill(): Promise<void>
  /** SIGTERM: a drain, then exit */
  stop(): Promise<void>
}

/** The API as its own OS process (`src/server.ts` through tsx), answering once /readyz says so. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort()
  const server = fileURLToPath(new URL('../../src/server.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', server], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
      JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnop',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited: ${output}`)
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL')
      throw new Error(`the API process did not become ready: ${output}`)
    }
    await sleep(100)
  }
  return {
    url,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
