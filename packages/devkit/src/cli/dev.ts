/**
 * `pnpm dev`: the whole product on this machine. A database that starts itself, then through
 * turbo the WeChat sandbox, the API (migrating at start, creating the demo admin), the admin
 * dashboard and the mini-program's H5 build; demo data once the API answers; then the URLs.
 */
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import { DEMO_ADMIN, DEMO_STAFF_PHONE, seedDemoData } from '../demoData'
import { isPortFree } from '../free-port'
import { ensureDatabase, LOCAL_SUBSCRIBE_TEMPLATES, redactUrl, repoRoot } from '../index'

const ports = {
  api: Number(process.env.API_PORT ?? 3000),
  sandbox: Number(process.env.SANDBOX_PORT ?? 4100),
  admin: 5173,
  miniapp: 10086,
}
const apiUrl = `http://127.0.0.1:${ports.api}`
const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`

async function waitFor(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return true
    } catch {
      // not up yet
    }
    await sleep(500)
  }
  return false
}

for (const [name, port] of Object.entries(ports)) {
  if (!(await isPortFree(port))) {
    console.error(`port ${port} (${name}) is in use: stop what listens there, or set API_PORT / SANDBOX_PORT`)
    process.exit(1)
  }
}

const database = await ensureDatabase()
const app = `${DEMO_APP.appId}:${DEMO_APP.secret}`
const env = {
  ...process.env,
  // a development process: the API then accepts its development-only JWT secret (SPEC §5)
  NODE_ENV: 'development',
  DATABASE_URL: database.url,
  PORT: String(ports.api),
  SANDBOX_PORT: String(ports.sandbox),
  SANDBOX_APPS: app,
  WECHAT_APPS: app,
  WECHAT_API_BASE: sandboxUrl,
  // reminders and cancel notices locally: the sandbox knows the templates the API offers
  SANDBOX_TEMPLATES: process.env.SANDBOX_TEMPLATES ?? LOCAL_SUBSCRIBE_TEMPLATES.sandbox,
  WECHAT_TEMPLATES: process.env.WECHAT_TEMPLATES ?? LOCAL_SUBSCRIBE_TEMPLATES.api,
  ADMIN_USERNAME: process.env.ADMIN_USERNAME ?? DEMO_ADMIN.username,
  ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? DEMO_ADMIN.password,
  YUYUE_API_URL: apiUrl,
  YUYUE_SANDBOX_URL: sandboxUrl,
}

const turbo = spawn(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'dev',
    '--filter=@yuyue/wechat-sandbox',
    '--filter=@yuyue/api',
    '--filter=@yuyue/admin',
    '--filter=@yuyue/miniapp',
  ],
  { cwd: repoRoot(), env, stdio: 'inherit' },
)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => turbo.kill(signal))
turbo.on('exit', (code) => process.exit(code ?? 0))

if (await waitFor(`${apiUrl}/readyz`, 120_000)) {
  try {
    for (const line of await seedDemoData(apiUrl)) console.log(`[dev] ${line}`)
  } catch (error) {
    console.error(`[dev] demo data not created: ${(error as Error).message}`)
  }
  await waitFor(`http://127.0.0.1:${ports.admin}`, 60_000)
  console.log(`
  Yuyue is running
  ──────────────────────────────────────────────────────────────
  mini-program (H5)   http://127.0.0.1:${ports.miniapp}   (builds on first start: ~30 s)
  admin dashboard     http://127.0.0.1:${ports.admin}   login ${env.ADMIN_USERNAME} / ${env.ADMIN_PASSWORD}
  API                 ${apiUrl}   docs ${apiUrl}/docs
  WeChat sandbox      ${sandboxUrl}
  database            ${redactUrl(database.url)} (${database.source === 'existing' ? 'existing server' : 'project-local'})
  demo staff phone    ${DEMO_STAFF_PHONE} (pick it in the H5 phone sheet to land on the staff view)
  reminders           sent by the API to the sandbox: ${sandboxUrl}/__sandbox/messages
  ──────────────────────────────────────────────────────────────
`)
} else {
  console.error(`[dev] the API did not answer ${apiUrl}/readyz within two minutes; see its output above`)
}
