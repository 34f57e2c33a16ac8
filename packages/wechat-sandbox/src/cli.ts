#!/usr/bin/env tsx
import { appsFromEnvironment } from './apps'
import { startSandbox } from './start'

function listenPort(env: NodeJS.ProcessEnv): number {
  // SANDBOX_PORT is the more specific name, so it wins when a shell also sets PORT for the API.
  const [name, raw] = env.SANDBOX_PORT ? ['SANDBOX_PORT', env.SANDBOX_PORT] : ['PORT', env.PORT]
  if (raw === undefined || raw === '') return 4100
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got "${raw}"`)
  }
  return port
}

async function main(): Promise<void> {
  const port = listenPort(process.env)
  const apps = appsFromEnvironment(process.env)
  const sandbox = await startSandbox({ port, host: process.env.HOST || '127.0.0.1', apps })
  console.log(`WeChat sandbox listening on ${sandbox.url} (apps: ${apps.map((app) => app.appId).join(', ')})`)

  let closing = false
  const shutdown = () => {
    // A second signal means the caller is done waiting.
    if (closing) process.exit(1)
    closing = true
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`WeChat sandbox failed to close: ${(error as Error).message}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  console.error(`WeChat sandbox cannot start: ${(error as Error).message}`)
  process.exit(1)
})
