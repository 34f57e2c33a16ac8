import { ensureDatabase, redactUrl } from '../index'

try {
  const { url, source } = await ensureDatabase()
  console.log(
    `database: ${redactUrl(url)} (${source === 'existing' ? 'existing server' : 'project-local server'})`,
  )
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
}
