import { afterAll, beforeAll, beforeEach } from 'vitest'
import { type AppCredentials, type RunningSandbox, startSandbox } from '../src/index'

export const APP: AppCredentials = { appId: 'wxtest000000000001', secret: 'a'.repeat(32) }
export const OTHER_APP: AppCredentials = { appId: 'wxtest000000000002', secret: 'b'.repeat(32) }

export const MINUTE = 60_000
export const CODE_LIFETIME = 5 * MINUTE
export const TOKEN_LIFETIME = 7200 * 1000

export type Json = Record<string, unknown>

/** One sandbox per test file over real HTTP, reset before every test so tests never see each other's state. */
export function useSandbox(): { readonly current: RunningSandbox } {
  let sandbox: RunningSandbox | undefined
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, apps: [APP, OTHER_APP] })
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  beforeEach(() => sandbox?.reset())
  return {
    get current() {
      if (sandbox === undefined) throw new Error('the sandbox is not started yet')
      return sandbox
    },
  }
}

/** WeChat's JSON, parsed from the body text whatever the Content-Type says (as clients must). */
export async function readJson(response: Response): Promise<Json> {
  return JSON.parse(await response.text()) as Json
}

export function code2Session(sandbox: RunningSandbox, params: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/sns/jscode2session?${new URLSearchParams(params)}`)
}

export function code2SessionFor(sandbox: RunningSandbox, app: AppCredentials, code: string) {
  return code2Session(sandbox, {
    appid: app.appId,
    secret: app.secret,
    js_code: code,
    grant_type: 'authorization_code',
  }).then(readJson)
}

export function stableToken(sandbox: RunningSandbox, body: Json): Promise<Json> {
  return fetch(`${sandbox.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(readJson)
}

export function stableTokenFor(sandbox: RunningSandbox, app: AppCredentials, forceRefresh?: boolean) {
  const body: Json = { grant_type: 'client_credential', appid: app.appId, secret: app.secret }
  if (forceRefresh !== undefined) body.force_refresh = forceRefresh
  return stableToken(sandbox, body)
}

export function legacyToken(sandbox: RunningSandbox, params: Record<string, string>): Promise<Json> {
  return fetch(`${sandbox.url}/cgi-bin/token?${new URLSearchParams(params)}`).then(readJson)
}

export function legacyTokenFor(sandbox: RunningSandbox, app: AppCredentials) {
  return legacyToken(sandbox, { grant_type: 'client_credential', appid: app.appId, secret: app.secret })
}

export function phoneNumber(sandbox: RunningSandbox, accessToken: string | null, body: Json): Promise<Json> {
  const query = accessToken === null ? '' : `?${new URLSearchParams({ access_token: accessToken })}`
  return fetch(`${sandbox.url}/wxa/business/getuserphonenumber${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(readJson)
}

/**
 * The errcode getuserphonenumber gives a token when sent without a code: 47001 means the token
 * itself was accepted, 40001 / 42001 that it was not.
 */
export async function tokenVerdict(sandbox: RunningSandbox, accessToken: unknown): Promise<unknown> {
  return (await phoneNumber(sandbox, String(accessToken), {})).errcode
}

export function control(sandbox: RunningSandbox, method: string, path: string, body?: unknown) {
  return fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}
