/**
 * `pnpm --filter @yuyue/api admin:create <username>`: creates a dashboard admin, or sets a new
 * password for an existing one. The password comes from ADMIN_PASSWORD or is asked for on the
 * terminal (never as an argument: it would stay in the shell history).
 */
import { createInterface } from 'node:readline/promises'
import { ConfigError, loadConfig } from '../config'
import { createDatabase } from '../db/client'
import { runMigrations } from '../db/migrate'
import { setAdminPassword } from '../domain/admins/adminAccounts'

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin })
    for await (const line of lines) return line
    return ''
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  const password = await terminal.question('password (at least 8 characters): ')
  terminal.close()
  return password
}

const username = process.argv[2]?.trim()
if (!username || username.length > 64) {
  console.error('usage: admin:create <username>   (password from ADMIN_PASSWORD or the terminal)')
  process.exit(2)
}

try {
  const { ADMIN_PASSWORD: _unused, ...env } = process.env
  const config = loadConfig(env, { signsTokens: false })
  const password = process.env.ADMIN_PASSWORD ?? (await askPassword())
  if (password.length < 8) {
    console.error('the password must have at least 8 characters')
    process.exit(2)
  }
  const handle = createDatabase(config.DATABASE_URL, { poolSize: 2 })
  try {
    if (config.MIGRATE_ON_START) await runMigrations(handle)
    const outcome = await setAdminPassword(handle.db, username, password)
    console.log(outcome === 'created' ? `admin ${username} created` : `password of admin ${username} updated`)
  } finally {
    await handle.close()
  }
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `could not create the admin: ${(error as Error).message}`,
  )
  process.exit(1)
}
