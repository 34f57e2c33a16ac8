/** `pnpm --filter @yuyue/api db:migrate`: applies pending migrations to DATABASE_URL and exits. */
import { ConfigError, loadConfig } from '../config'
import { createDatabase } from '../db/client'
import { runMigrations } from '../db/migrate'

try {
  const config = loadConfig(process.env, { signsTokens: false })
  const handle = createDatabase(config.DATABASE_URL, { poolSize: 2 })
  try {
    await runMigrations(handle)
    console.log('migrations applied')
  } finally {
    await handle.close()
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `migration failed: ${(error as Error).message}`,
  )
  process.exit(1)
}
