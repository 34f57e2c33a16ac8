import { ensureChromium, ensureDatabase, ensureRedis, redactUrl } from '../index'

const describe = (source: 'existing' | 'local') =>
  source === 'existing' ? 'existing server' : 'project-local server'

// Each tool is checked even when an earlier one fails, so one run names everything that is missing.
const checks: Array<[string, () => Promise<string>]> = [
  ['chromium', async () => `${await ensureChromium()} (with CJK font)`],
  [
    'database',
    async () => {
      const { url, source } = await ensureDatabase()
      return `${redactUrl(url)} (${describe(source)})`
    },
  ],
  [
    'redis',
    async () => {
      const { url, source } = await ensureRedis()
      return `${redactUrl(url)} (${describe(source)})`
    },
  ],
]

for (const [name, check] of checks) {
  try {
    console.log(`${name}: ${await check()}`)
  } catch (error) {
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
