import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { freePort } from '@yuyue/devkit'

export interface RunningFloor {
  url: string
  /** the floor's login in a bare Fastify app, in the same process */
  fastifyUrl: string
  pid: number
  stop(): Promise<void>
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Starts the floor server (./server.ts) as its own process, like the API, and waits until it answers. */
export async function startFloor(options: {
  databaseUrl: string
  /** the API's own database, which `/me` and `/search` read */
  peopleDatabaseUrl: string
  wechatApiBase: string
  app: { appId: string; secret: string }
  tokenSecret: string
}): Promise<RunningFloor> {
  const port = await freePort()
  let fastifyPort = await freePort()
  while (fastifyPort === port) fastifyPort = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'floor', 'server.ts')], {
    cwd: benchDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      FLOOR_PORT: String(port),
      FLOOR_FASTIFY_PORT: String(fastifyPort),
      FLOOR_WECHAT_API_BASE: options.wechatApiBase,
      FLOOR_APP_ID: options.app.appId,
      FLOOR_APP_SECRET: options.app.secret,
      FLOOR_TOKEN_SECRET: options.tokenSecret,
      FLOOR_DATABASE_URL: options.databaseUrl,
      FLOOR_PEOPLE_DATABASE_URL: options.peopleDatabaseUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (output.length > 50) output.splice(0, output.length - 50)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(force)
  }

  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the floor exited with ${child.exitCode}:\n${output.join('\n')}`)
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return { url, fastifyUrl: `http://127.0.0.1:${fastifyPort}`, pid: child.pid!, stop }
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  await stop()
  throw new Error(`the floor did not answer within 30 s:\n${output.join('\n')}`)
}
