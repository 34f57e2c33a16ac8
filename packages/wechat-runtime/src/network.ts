import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { type Callbacks, fail } from './callbacks'

/** The methods wx.request documents; anything else fails before leaving the phone. */
export const REQUEST_METHODS = [
  'OPTIONS',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'TRACE',
  'CONNECT',
] as const

export interface NetworkOptions {
  /**
   * The server domains configured for the app (request and uploadFile 合法域名), each mapped to
   * where that server really runs in the test: `{'https://api.example.com': 'http://127.0.0.1:3000'}`.
   * A URL outside them fails, as on a phone.
   */
  domains: Record<string, string>
  appId: string
  /** what the phone's network does with each request, e.g. to model a refused connection */
  fetch?: typeof fetch
}

export interface RequestOptions extends Callbacks<RequestSuccess> {
  url: string
  data?: unknown
  header?: Record<string, string>
  method?: string
  timeout?: number
  dataType?: string
  responseType?: string
}

export interface RequestSuccess {
  data: unknown
  statusCode: number
  header: Record<string, string>
  cookies: string[]
}

export interface UploadOptions extends Callbacks<UploadSuccess> {
  url: string
  filePath: string
  name: string
  header?: Record<string, string>
  formData?: Record<string, string>
  timeout?: number
}

export interface UploadSuccess {
  data: string
  statusCode: number
}

export interface SentRequest {
  method: string
  url: string
  header: Record<string, string>
  body: string | null
}

const DEFAULT_TIMEOUT_MS = 60_000

export class Network {
  /** every request that left the phone, in order */
  readonly sent: SentRequest[] = []
  private readonly doFetch: typeof fetch

  constructor(
    private readonly options: NetworkOptions,
    /** temporary files the runtime handed out (chooseAvatar…): path → file on disk */
    private readonly tempFiles: Map<string, string>,
  ) {
    this.doFetch = options.fetch ?? fetch
  }

  /** Points a configured domain somewhere else (a server that went away, or came back). */
  route(origin: string, target: string): void {
    this.options.domains[origin] = target
  }

  /** The real address for a URL of a configured domain, or the reason it cannot be requested. */
  private resolve(api: string, url: string): string {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw fail(api, `invalid url "${url}"`)
    }
    if (parsed.protocol !== 'https:')
      throw fail(api, `url not in domain list: ${url} (only https is allowed)`)
    const target = this.options.domains[parsed.origin]
    if (!target) throw fail(api, `url not in domain list: ${parsed.origin}`)
    return `${target.replace(/\/$/, '')}${parsed.pathname}${parsed.search}`
  }

  /** The Referer WeChat sets on every request; an app cannot set its own. */
  private referer(): string {
    return `https://servicewechat.com/${this.options.appId}/devtools/page-frame.html`
  }

  async request(options: RequestOptions): Promise<RequestSuccess> {
    const method = (options.method ?? 'GET').toUpperCase()
    if (!(REQUEST_METHODS as readonly string[]).includes(method)) throw fail('request', 'method is invalid')
    let url = this.resolve('request', options.url)
    const header: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.header ?? {})) {
      if (name.toLowerCase() !== 'referer') header[name.toLowerCase()] = String(value)
    }
    header.referer = this.referer()
    header['content-type'] ??= 'application/json'

    let body: string | null = null
    const data = options.data
    if (data !== undefined && data !== null) {
      if (method === 'GET') {
        // GET data becomes the query string
        if (typeof data === 'object') {
          const query = new URLSearchParams(
            Object.entries(data as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]),
          ).toString()
          if (query) url += (url.includes('?') ? '&' : '?') + query
        } else url += (url.includes('?') ? '&' : '?') + String(data)
      } else if (typeof data === 'string') body = data
      else if (header['content-type'].includes('application/x-www-form-urlencoded'))
        body = new URLSearchParams(Object.entries(data as Record<string, string>)).toString()
      else body = JSON.stringify(data)
    }
    this.sent.push({ method, url, header, body })

    const response = await this.exchange('request', url, { method, headers: header, body }, options.timeout)
    const text = await response.text()
    let parsed: unknown = text
    if ((options.dataType ?? 'json') === 'json' && text !== '') {
      try {
        parsed = JSON.parse(text)
      } catch {
        // WeChat hands back the text when it is not JSON
      }
    }
    // every HTTP status is a success for wx.request: the app reads statusCode
    return {
      data: parsed,
      statusCode: response.status,
      header: Object.fromEntries(response.headers),
      cookies: response.headers.getSetCookie(),
    }
  }

  async upload(options: UploadOptions): Promise<UploadSuccess> {
    const url = this.resolve('uploadFile', options.url)
    const onDisk = this.tempFiles.get(options.filePath)
    if (!onDisk) throw fail('uploadFile', `file not found: ${options.filePath}`)
    if (!options.name) throw fail('uploadFile', 'parameter error: name should be a non-empty String')
    const form = new FormData()
    for (const [key, value] of Object.entries(options.formData ?? {})) form.append(key, value)
    form.append(options.name, new Blob([await readFile(onDisk)]), basename(options.filePath))
    const header: Record<string, string> = {}
    for (const [name, value] of Object.entries(options.header ?? {})) {
      // the multipart boundary is WeChat's to set
      if (!['referer', 'content-type'].includes(name.toLowerCase()))
        header[name.toLowerCase()] = String(value)
    }
    header.referer = this.referer()
    this.sent.push({ method: 'POST', url, header, body: null })
    const response = await this.exchange(
      'uploadFile',
      url,
      { method: 'POST', headers: header, body: form },
      options.timeout,
    )
    // uploadFile never parses: data is the body's text
    return { data: await response.text(), statusCode: response.status }
  }

  private async exchange(api: string, url: string, init: RequestInit, timeout?: number): Promise<Response> {
    try {
      return await this.doFetch(url, { ...init, signal: AbortSignal.timeout(timeout ?? DEFAULT_TIMEOUT_MS) })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') throw fail(api, 'timeout')
      const cause = (error as { cause?: { code?: string } }).cause?.code
      throw fail(
        api,
        cause === 'ECONNREFUSED'
          ? 'net::ERR_CONNECTION_REFUSED'
          : `net::ERR_FAILED ${String(cause ?? error)}`,
      )
    }
  }
}
