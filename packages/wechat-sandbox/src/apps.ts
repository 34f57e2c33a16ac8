export interface AppCredentials {
  appId: string
  secret: string
}

/** The mini-program every fresh checkout can log in to without any configuration. */
export const DEMO_APP: AppCredentials = {
  appId: 'wxdemo000000000001',
  secret: '0123456789abcdef0123456789abcdef',
}

/** Parses `appid:secret[,appid:secret…]`, the format shared with the API's `WECHAT_APPS`. */
export function parseAppList(text: string): AppCredentials[] {
  const apps: AppCredentials[] = []
  for (const entry of text.split(',')) {
    const trimmed = entry.trim()
    if (trimmed === '') continue
    const separator = trimmed.indexOf(':')
    const appId = separator === -1 ? '' : trimmed.slice(0, separator).trim()
    const secret = separator === -1 ? '' : trimmed.slice(separator + 1).trim()
    if (appId === '' || secret === '') {
      throw new Error(`invalid app entry "${trimmed}": expected appid:secret`)
    }
    if (apps.some((app) => app.appId === appId)) {
      throw new Error(`app ${appId} is listed twice`)
    }
    apps.push({ appId, secret })
  }
  return apps
}

/** `SANDBOX_APPS` wins so the sandbox can differ from the API's own `WECHAT_APPS` when a test wants that. */
export function appsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AppCredentials[] {
  for (const name of ['SANDBOX_APPS', 'WECHAT_APPS'] as const) {
    const value = env[name]
    if (value === undefined || value.trim() === '') continue
    try {
      const apps = parseAppList(value)
      if (apps.length > 0) return apps
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`)
    }
    throw new Error(`${name}: no app listed`)
  }
  return [DEMO_APP]
}
