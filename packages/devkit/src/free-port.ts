import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

/** A TCP port nothing listens on right now (the OS picks it, so parallel callers get different ones). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : undefined
      server.close(() => (port ? resolve(port) : reject(new Error('the OS gave no port'))))
    })
  })
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
  })
}

/** The first port of the kernel's range for outgoing connections' local ends (Linux; else its default). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    return Number.isInteger(low) && low > 11_000 ? low : 32_768
  } catch {
    return 32_768
  }
}

/**
 * `count` distinct ports nothing listens on, below the kernel's range for outgoing connections.
 * An OS-picked port (`freePort`) comes from that range, so a port taken now and bound a minute
 * later (a cluster's last ones) can meanwhile become the local end of some connection and be
 * refused (EADDRINUSE); these cannot.
 */
export async function portsToBindLater(count: number, host = '127.0.0.1'): Promise<number[]> {
  const low = 10_000
  const high = ephemeralLow()
  const ports = new Set<number>()
  while (ports.size < count) {
    const port = low + Math.floor(Math.random() * (high - low))
    if (!ports.has(port) && (await isPortFree(port, host))) ports.add(port)
  }
  return [...ports]
}
