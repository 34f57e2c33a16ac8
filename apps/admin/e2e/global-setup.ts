import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  ensureChromium,
  ensureDatabase,
  serveStatic,
  startStack,
} from '@yuyue/devkit'
import { E2E_ADMIN } from './support/env'

/** this run's own: a fixed name let two worktrees' runs drop and fill each other's database */
const DATABASE = `yuyue_test_admin_e2e_${process.pid}`

/**
 * A fresh database, the WeChat sandbox and the API (as processes, the way they run in
 * production), and the built dashboard with the API on its own origin. Returns nothing: the
 * teardown finds what to stop on globalThis (both run in the runner's process).
 */
export default async function globalSetup(): Promise<void> {
  const dist = resolve(import.meta.dirname, '../dist/index.html')
  if (!existsSync(dist)) throw new Error('apps/admin/dist is missing: run `pnpm e2e` (it builds first)')
  // the cross-app journeys open the mini-program's H5 build as the person (turbo builds it first)
  const miniapp = resolve(import.meta.dirname, '../../miniapp/dist/h5')
  if (!existsSync(resolve(miniapp, 'index.html')))
    throw new Error(
      'apps/miniapp/dist/h5 is missing: run `pnpm e2e`, or `pnpm --filter @yuyue/miniapp build:h5`',
    )
  await ensureChromium()
  const server = await ensureDatabase()
  const databaseUrl = databaseUrlFor(server.url, DATABASE)
  await dropDatabase(databaseUrl)
  await createDatabase(databaseUrl)

  const stack = await startStack({
    databaseUrl,
    env: {
      NODE_ENV: 'test',
      ADMIN_USERNAME: E2E_ADMIN.username,
      ADMIN_PASSWORD: E2E_ADMIN.password,
      RATE_LIMIT_ADMIN_LOGIN: '0',
    },
    output: process.env.YUYUE_E2E_VERBOSE ? 'inherit' : 'quiet',
  })
  const site = await serveStatic(resolve(import.meta.dirname, '../dist'), { proxy: { '/api': stack.apiUrl } })
  const miniappSite = await serveStatic(miniapp, {
    proxy: { '/api': stack.apiUrl, '/__sandbox': stack.sandboxUrl },
  })

  process.env.YUYUE_E2E_ADMIN_URL = site.url
  process.env.YUYUE_E2E_MINIAPP_URL = miniappSite.url
  process.env.YUYUE_E2E_API_URL = stack.apiUrl
  process.env.YUYUE_E2E_SANDBOX_URL = stack.sandboxUrl
  process.env.YUYUE_E2E_DATABASE_URL = databaseUrl
  globalThis.__yuyueAdminE2e = {
    stop: async () => {
      await site.close()
      await miniappSite.close()
      await stack.stop()
      await dropDatabase(databaseUrl)
    },
  }
}
