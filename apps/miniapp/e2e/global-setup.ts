import { fileURLToPath } from 'node:url'
import {
  createDatabase,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
  type StackOptions,
  serveStatic,
  startStack,
} from '@yuyue/devkit'

export const ADMIN = { username: 'e2e-admin', password: 'e2e-admin-password' }
/** this run's own: a fixed name let two worktrees' runs drop and fill each other's database */
const DATABASE = `yuyue_test_miniapp_e2e_${process.pid}`

/** The API and sandbox the journeys use (browser and weapp): the admin account, no rate limits. */
export function stackOptions(databaseUrl: string): StackOptions {
  return {
    databaseUrl,
    output: process.env.E2E_SERVER_OUTPUT === '1' ? 'inherit' : 'quiet',
    env: {
      NODE_ENV: 'test',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_ADMIN_LOGIN: '0',
      RATE_LIMIT_WX_LOGIN: '0',
      LOG_LEVEL: 'warn',
    },
  }
}

/**
 * The real servers for the journeys: a fresh database, the WeChat sandbox and the API as
 * processes, and the H5 build served with /api and /__sandbox on its own origin (as in dev).
 */
export default async function globalSetup() {
  const server = await ensureDatabase()
  const databaseUrl = databaseUrlFor(server.url, DATABASE)
  await dropDatabase(databaseUrl)
  await createDatabase(databaseUrl)

  const stack = await startStack(stackOptions(databaseUrl))
  const web = await serveStatic(fileURLToPath(new URL('../dist/h5', import.meta.url)), {
    proxy: { '/api': stack.apiUrl, '/__sandbox': stack.sandboxUrl },
  }).catch(async (error) => {
    await stack.stop()
    throw error
  })

  process.env.MINIAPP_URL = web.url
  process.env.YUYUE_API_URL = stack.apiUrl
  process.env.YUYUE_SANDBOX_URL = stack.sandboxUrl

  return async () => {
    await web.close()
    await stack.stop()
    await dropDatabase(databaseUrl)
  }
}
