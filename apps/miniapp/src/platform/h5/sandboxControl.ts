/**
 * The WeChat sandbox's control API, reached on the page's own origin (`/__sandbox`, forwarded by
 * the dev server or the static server), so the H5 build carries no server address.
 */

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`sandbox ${path} answered ${response.status}`)
  return (await response.json()) as T
}

let sandboxApps: Promise<string[]> | null = null

/** The app ids the sandbox (and so the local API) is configured with. */
export function configuredApps(): Promise<string[]> {
  sandboxApps ??= call<{ apps: string[] }>('GET', '/health')
    .then((health) => health.apps)
    .catch((error) => {
      sandboxApps = null
      throw error
    })
  return sandboxApps
}

export function issueLoginCode(input: { appId: string; openid?: string }) {
  return call<{ code: string; openid: string; unionid: string | null }>('POST', '/login-code', input)
}

export function issuePhoneCode(input: { appId: string; phoneNumber: string; openid: string }) {
  return call<{ code: string }>('POST', '/phone-code', input)
}

/** The person's accepts of subscribe messages, as WeChat records them when its sheet is answered. */
export function grantSubscriptions(input: { appId: string; openid: string; templateIds: string[] }) {
  return call<{ subscriptions: unknown[] }>('POST', '/subscriptions', input)
}
