import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import { freePort } from './free-port'
import { repoRoot } from './repo-root'

/**
 * Subscribe-message templates for a local stack: declared in the sandbox (SANDBOX_TEMPLATES) and
 * configured in the API (WECHAT_TEMPLATES), with the keys of the API's default
 * WECHAT_TEMPLATE_FIELDS, so reminders and cancel notices go out locally as they would in WeChat.
 */
export const LOCAL_SUBSCRIBE_TEMPLATES = {
  sandbox: 'tmplYuyueReminder:thing1;time2,tmplYuyueCancelled:thing1;time2;thing3',
  api: 'reminder:tmplYuyueReminder,cancelled:tmplYuyueCancelled',
} as const

export interface StackOptions {
  /** the database the API uses (created and migrated by the API at start) */
  databaseUrl: string
  redisUrl?: string
  apiPort?: number
  sandboxPort?: number
  apps?: { appId: string; secret: string }[]
  /** extra API environment (rate limits, admin account, CORS origins…) */
  env?: Record<string, string>
  /**
   * `built` runs apps/api/dist/server.js with the Node flags of the API's `start` script (what a
   * deployment runs); `source` runs the TypeScript with tsx
   */
  api?: 'source' | 'built'
  /** declare LOCAL_SUBSCRIBE_TEMPLATES in the sandbox and offer them in the API */
  subscribeTemplates?: boolean
  /** where the servers' output goes; quiet by default except on failure */
  output?: 'inherit' | 'quiet'
}

export interface RunningStack {
  apiUrl: string
  sandboxUrl: string
  apps: { appId: string; secret: string }[]
  apiPid: number
  stop(): Promise<void>
}

interface Managed {
  name: string
  child: ChildProcess
  output: string[]
}

/**
 * The arguments of the API's own `start` script (`node <flags> dist/server.js`), so what dev,
 * browser journeys and benchmarks run is what a deployment runs, heap limits included.
 */
export function builtApiArguments(apiDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(apiDir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>
  }
  const [command, ...args] = (manifest.scripts?.start ?? '').trim().split(/\s+/)
  if (command !== 'node' || args.at(-1) !== 'dist/server.js') {
    throw new Error(
      `apps/api's start script must be "node [flags] dist/server.js", not "${manifest.scripts?.start}"`,
    )
  }
  return args
}

function launch(
  name: string,
  cwd: string,
  args: string[],
  env: Record<string, string>,
  output: StackOptions['output'],
): Managed {
  // each package's own node_modules has its tsx (pnpm does not hoist it to the root)
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8')
    if (output === 'inherit') process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `))
    lines.push(...text.split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return { name, child, output: lines }
}

async function waitUntilAnswering(server: Managed, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `${server.name} exited with ${server.child.exitCode}:\n${server.output.slice(-20).join('\n')}`,
      )
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) })
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await sleep(150)
  }
  throw new Error(
    `${server.name} did not answer ${url} within ${timeoutMs} ms:\n${server.output.slice(-20).join('\n')}`,
  )
}

async function terminate(server: Managed): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()))
  server.child.kill('SIGTERM')
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/**
 * The product's servers as separate processes, as they run in production: the WeChat sandbox and
 * the API pointed at it. Used by `dev`, the browser journeys and the benchmarks.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const root = repoRoot()
  const apps = options.apps ?? [DEMO_APP]
  const appList = apps.map((a) => `${a.appId}:${a.secret}`).join(',')
  const [sandboxPort, apiPort] = await Promise.all([
    options.sandboxPort ?? freePort(),
    options.apiPort ?? freePort(),
  ])
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`
  const apiUrl = `http://127.0.0.1:${apiPort}`
  const started: Managed[] = []
  const stop = async () => {
    await Promise.all(started.reverse().map(terminate))
  }

  try {
    const sandbox = launch(
      'sandbox',
      join(root, 'packages/wechat-sandbox'),
      ['--import', 'tsx', 'src/cli.ts'],
      {
        SANDBOX_PORT: String(sandboxPort),
        HOST: '127.0.0.1',
        SANDBOX_APPS: appList,
        ...(options.subscribeTemplates ? { SANDBOX_TEMPLATES: LOCAL_SUBSCRIBE_TEMPLATES.sandbox } : {}),
      },
      options.output,
    )
    started.push(sandbox)

    const apiDir = join(root, 'apps/api')
    const mode = options.api ?? 'source'
    if (mode === 'built' && !existsSync(join(apiDir, 'dist/server.js'))) {
      throw new Error('apps/api/dist/server.js is missing: run pnpm build first')
    }
    const api = launch(
      'api',
      apiDir,
      mode === 'built' ? builtApiArguments(apiDir) : ['--import', 'tsx', 'src/server.ts'],
      {
        // the API needs it said: with no NODE_ENV it refuses the development JWT secret (SPEC §5)
        NODE_ENV: 'development',
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        DATABASE_URL: options.databaseUrl,
        WECHAT_API_BASE: sandboxUrl,
        WECHAT_APPS: appList,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
        ...(options.subscribeTemplates ? { WECHAT_TEMPLATES: LOCAL_SUBSCRIBE_TEMPLATES.api } : {}),
        ...options.env,
      },
      options.output,
    )
    started.push(api)
    await Promise.all([
      waitUntilAnswering(sandbox, `${sandboxUrl}/__sandbox/health`),
      waitUntilAnswering(api, `${apiUrl}/readyz`),
    ])
    return { apiUrl, sandboxUrl, apps, apiPid: api.child.pid!, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
