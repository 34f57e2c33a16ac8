import { Redis } from 'ioredis'

export type RedisProbe =
  | { state: 'ready' }
  | { state: 'unreachable'; reason: string }
  /** A server answered but refused us, e.g. NOAUTH or WRONGPASS. */
  | { state: 'refused'; reason: string }

/** One PING, no retries and no reconnect loop, so a missing server costs at most `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<RedisProbe> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  })
  let lastError: Error | undefined
  client.on('error', (error: Error) => {
    lastError = error
  })
  try {
    await client.connect()
    const reply = await client.ping()
    return reply === 'PONG' ? { state: 'ready' } : { state: 'refused', reason: `PING answered ${reply}` }
  } catch (error) {
    const failure = (lastError ?? error) as Error
    const refused = failure.name === 'ReplyError' || /NOAUTH|WRONGPASS|NOPERM/.test(failure.message)
    return { state: refused ? 'refused' : 'unreachable', reason: failure.message }
  } finally {
    // After a failed connect the client has already ended; disconnecting again would arm ioredis's
    // 2 s "destroy the stream" timer on a dead stream and keep a CLI alive for nothing.
    if (client.status !== 'end') client.disconnect()
  }
}
