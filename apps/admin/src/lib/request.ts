import { ApiError, apiErrorOf } from '@yuyue/contracts'
import { clearSession, readSession } from './session'

export { ApiError, isApiError } from '@yuyue/contracts'

/**
 * The one way the dashboard talks to the API. Paths are relative (`/api/...`): the API is served
 * from the dashboard's own origin (a proxy in dev, the same host in production), so no address is
 * built into the bundle.
 */

type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Query
  body?: unknown
  /** a body already serialized as JSON (large bodies written off the main thread) */
  json?: string
  signal?: AbortSignal
  /** false for the login call: its 401 means "wrong password", not "session over" */
  auth?: boolean
}

let onUnauthorized: () => void = () => {
  const here = `${location.pathname}${location.search}`
  location.assign(`/login?redirect=${encodeURIComponent(here)}`)
}

/** The app replaces the default (a full page load) with a router navigation. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json')
  const payload = await readJson(response)
  if (payload === undefined) throw new ApiError('BAD_RESPONSE', '服务器返回了无法识别的内容', response.status)
  return payload as T
}

/** A file the API answers (an export), with the name its Content-Disposition gives. */
export async function requestFile(
  path: string,
  options: Pick<RequestOptions, 'query' | 'signal'> = {},
): Promise<{ blob: Blob; fileName: string | null }> {
  const response = await send(path, options, '*/*')
  const disposition = response.headers.get('content-disposition') ?? ''
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1]
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1]
  return { blob: await response.blob(), fileName: encoded ? decodeURIComponent(encoded) : (plain ?? null) }
}

/** Sends with the session's token; answers the response when it is a success, else throws its error. */
async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const { method = 'GET', query, body, json, signal, auth = true } = options
  const payloadText = json ?? (body === undefined ? undefined : JSON.stringify(body))
  const headers: Record<string, string> = { accept }
  if (payloadText !== undefined) headers['content-type'] = 'application/json'
  if (auth) {
    const session = readSession()
    if (!session) {
      // expired or logged out in another way: do not send a request the API will refuse
      onUnauthorized()
      throw new ApiError('UNAUTHORIZED', '登录已过期，请重新登录', 401)
    }
    headers.authorization = `Bearer ${session.token}`
  }

  let response: Response
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      body: payloadText,
      signal,
    })
  } catch (error) {
    if (signal?.aborted) throw error
    throw new ApiError('NETWORK_ERROR', '无法连接服务器，请检查网络', 0)
  }
  if (response.ok) return response

  const payload = await readJson(response)
  const error = apiErrorOf(response.status, payload, `服务器错误（HTTP ${response.status}）`)
  // a wrong current password (changing it) is not the end of the session
  if (response.status === 401 && auth && error.code !== 'BAD_CREDENTIALS') {
    clearSession()
    onUnauthorized()
  }
  throw error
}
