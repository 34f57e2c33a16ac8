import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { spawnDetached } from '../processes'
import { findExecutable, installSystemPackages } from '../system-packages'
import { type ClusterState, recordProcess } from './state'

export async function requireRedisSentinel(log: (line: string) => void): Promise<void> {
  const missing: string[] = []
  if (!findExecutable(['redis-server'])) missing.push('redis-server')
  if (!findExecutable(['redis-sentinel'])) missing.push('redis-sentinel')
  if (missing.length) await installSystemPackages(missing, `Redis Sentinel needs ${missing.join(', ')}`, log)
}

/** Redis server `index` (0 starts as the primary, 1 as its replica); no persistence, like dev. */
export async function startRedisServer(
  state: ClusterState,
  index: number,
  replicaOf?: number,
): Promise<void> {
  const port = state.ports.redis[index]!
  const dir = join(state.dir, `redis${index + 1}`)
  await mkdir(dir, { recursive: true })
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ]
  if (replicaOf) args.push('--replicaof', '127.0.0.1', String(replicaOf))
  const child = spawnDetached(
    findExecutable(['redis-server']) ?? 'redis-server',
    args,
    join(dir, 'redis.log'),
  )
  // redis retitles itself "redis-server 127.0.0.1:<port>"
  await recordProcess(state, { name: `redis${index + 1}`, pid: child.pid, marker: `127.0.0.1:${port}` })
}

export async function startSentinel(state: ClusterState, index: number): Promise<void> {
  const port = state.ports.sentinels[index]!
  const dir = join(state.dir, `sentinel${index + 1}`)
  await mkdir(dir, { recursive: true })
  const config = join(dir, 'sentinel.conf')
  // Sentinel rewrites its file as it learns the topology: written once, at the cluster's creation
  await writeFile(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${state.sentinelName} 127.0.0.1 ${state.ports.redis[0]} 2`,
      // staggered, so one Sentinel asks for votes first: three asking at once split the vote
      // and the failover waited for a second election (15 s of 503 instead of 3)
      `sentinel down-after-milliseconds ${state.sentinelName} ${2000 + index * 500}`,
      // also the election's timeout and, doubled, the pause before another attempt
      `sentinel failover-timeout ${state.sentinelName} 5000`,
      `sentinel parallel-syncs ${state.sentinelName} 1`,
      '',
    ].join('\n'),
  )
  const child = spawnDetached(
    findExecutable(['redis-sentinel']) ?? 'redis-sentinel',
    [config],
    join(dir, 'sentinel.log'),
  )
  await recordProcess(state, { name: `sentinel${index + 1}`, pid: child.pid, marker: `127.0.0.1:${port}` })
}

/** The address the Sentinels currently name as primary, once a majority of them agree. */
export async function sentinelPrimary(state: ClusterState): Promise<number | undefined> {
  const answers = await Promise.all(
    state.ports.sentinels.map(async (port) => {
      const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 })
      client.on('error', () => {})
      try {
        await client.connect()
        const [, primaryPort] = (await client.call(
          'SENTINEL',
          'get-master-addr-by-name',
          state.sentinelName,
        )) as [string, string]
        return Number(primaryPort)
      } catch {
        return undefined
      } finally {
        client.disconnect()
      }
    }),
  )
  const counts = new Map<number, number>()
  for (const port of answers) if (port) counts.set(port, (counts.get(port) ?? 0) + 1)
  return [...counts].find(([, n]) => n >= 2)?.[0]
}

export async function waitForSentinels(state: ClusterState, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await sentinelPrimary(state)) return
    await sleep(300)
  }
  throw new Error('the Redis Sentinels did not agree on a primary')
}
