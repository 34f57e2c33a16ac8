import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export interface StaticServerOptions {
  port?: number
  host?: string
  /** path prefix → upstream origin, e.g. `{ '/api': 'http://127.0.0.1:3000' }` (a same-origin API) */
  proxy?: Record<string, string>
}

function pass(request: IncomingMessage, response: ServerResponse, origin: string) {
  const target = new URL(request.url ?? '/', origin)
  const outgoing = forward(
    target,
    // the Host stays the page's, as behind a real reverse proxy: URLs the API builds point here
    { method: request.method, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    },
  )
  outgoing.on('error', () => response.writeHead(502).end())
  request.pipe(outgoing)
}

async function sendFile(root: string, path: string, response: ServerResponse) {
  let file = normalize(join(root, path))
  if (!file.startsWith(root)) {
    response.writeHead(403).end()
    return
  }
  let info = await stat(file).catch(() => null)
  if (info?.isDirectory()) {
    file = join(file, 'index.html')
    info = await stat(file).catch(() => null)
  }
  if (!info?.isFile()) {
    // a client-side route: the app decides what to show
    file = join(root, 'index.html')
    info = await stat(file).catch(() => null)
    if (!info) {
      response.writeHead(404).end()
      return
    }
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
  })
  createReadStream(file).pipe(response)
}

/**
 * Serves a built front end (the admin's or the mini-program's H5 dist) the way a deployment
 * would: files as they are, index.html for client-side routes, and the API behind the same origin.
 */
export async function serveStatic(
  dir: string,
  options: StaticServerOptions = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const { port = 0, host = '127.0.0.1', proxy = {} } = options
  const root = resolve(dir)
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const upstream = Object.entries(proxy).find(
      ([prefix]) => path === prefix || path.startsWith(`${prefix}/`),
    )
    if (upstream) pass(request, response, upstream[1])
    else void sendFile(root, path, response)
  })
  await new Promise<void>((done) => server.listen(port, host, done))
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://${host}:${bound}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}
