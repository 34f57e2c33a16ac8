import Fastify, { type FastifyInstance } from 'fastify'
import { type AppCredentials, appsFromEnvironment } from './apps'
import { controlRoutes } from './routes/control'
import { wechatRoutes } from './routes/wechat'
import { type StartupTemplate, templatesFromEnvironment } from './startup-templates'
import { SandboxState } from './state'

export interface SandboxOptions {
  /** Default: `SANDBOX_APPS`, else `WECHAT_APPS` (`appid:secret[,…]`), else {@link DEMO_APP}. */
  apps?: AppCredentials[]
  /** Templates every app has, kept across resets. Default: `SANDBOX_TEMPLATES` (`id:key;key[,…]`), else none. */
  templates?: StartupTemplate[]
  logger?: boolean
}

export function createSandboxApp(options: SandboxOptions = {}): {
  app: FastifyInstance
  sandbox: SandboxState
} {
  const sandbox = new SandboxState(
    options.apps ?? appsFromEnvironment(),
    options.templates ?? templatesFromEnvironment(),
  )
  const app = Fastify({
    logger: options.logger ?? false,
    // A stand-in must never hold its caller's shutdown: keep-alive sockets are cut on close.
    forceCloseConnections: true,
    // Unknown control fields are refused rather than silently dropped, so a typo is a 400 and not a surprise.
    ajv: { customOptions: { removeAdditional: false } },
  })
  app.register(wechatRoutes, { sandbox })
  app.register(controlRoutes, { sandbox, prefix: '/__sandbox' })
  return { app, sandbox }
}
