import { WECHAT_ENDPOINTS, type WechatEndpoint } from './endpoints'

export interface SandboxStats {
  calls: Record<WechatEndpoint, number>
  /** Per endpoint: `ok`, the errcode as a string, or `http:<status>` for injected HTTP failures. */
  outcomes: Record<WechatEndpoint, Record<string, number>>
}

function emptyStats(): SandboxStats {
  const calls = {} as Record<WechatEndpoint, number>
  const outcomes = {} as Record<WechatEndpoint, Record<string, number>>
  for (const endpoint of WECHAT_ENDPOINTS) {
    calls[endpoint] = 0
    outcomes[endpoint] = {}
  }
  return { calls, outcomes }
}

export class CallStats {
  private current = emptyStats()

  recordCall(endpoint: WechatEndpoint): void {
    this.current.calls[endpoint] += 1
  }

  recordOutcome(endpoint: WechatEndpoint, outcome: string): void {
    const counts = this.current.outcomes[endpoint]
    counts[outcome] = (counts[outcome] ?? 0) + 1
  }

  snapshot(): SandboxStats {
    return structuredClone(this.current)
  }

  clear(): void {
    this.current = emptyStats()
  }
}
