import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { isPortFree, portsToBindLater } from '../src/free-port'

describe('ports taken now and bound later', () => {
  it('are distinct, free and below the range of outgoing connections’ local ports', async () => {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    const ports = await portsToBindLater(30)
    expect(new Set(ports).size).toBe(30)
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000)
      expect(port).toBeLessThan(low)
      expect(await isPortFree(port)).toBe(true)
    }
  })
})
