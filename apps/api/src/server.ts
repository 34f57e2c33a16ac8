import { buildApp, drain } from './app'
import { ConfigError, loadConfig } from './config'

/** Starts the API: configuration, listen, and a drain then close on SIGINT/SIGTERM (SPEC §8). */
async function main() {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }

  const app = await buildApp(config)
  app.server.keepAliveTimeout = 65_000
  app.server.headersTimeout = 66_000
  app.server.requestTimeout = 30_000

  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      if (closing) return
      closing = true
      app.log.info({ signal, delayMs: config.DRAIN_DELAY_MS }, 'draining')
      // a request still running this long after the drain is not going to finish well
      const force = setTimeout(() => process.exit(1), config.DRAIN_DELAY_MS + 20_000)
      force.unref()
      await drain(app, config.DRAIN_DELAY_MS)
      process.exit(0)
    })
  }

  await app.listen({ port: config.PORT, host: config.HOST })
}

main().catch((error) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
