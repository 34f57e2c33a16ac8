import { setTimeout as sleep } from 'node:timers/promises'
import { startApiInstance, waitApiInstance } from '../cluster/cluster'
import { startNode, waitSynced } from '../cluster/galera'
import { currentWriter } from '../cluster/haproxy'
import { sentinelPrimary, startRedisServer } from '../cluster/redis-sentinel'
import type { ClusterState } from '../cluster/state'

/** A fault: what is killed (SIGKILL, a crash), and how it is brought back; answers when it is back. */
export interface Fault {
  name: string
  kill(state: ClusterState): Promise<void>
  restart(state: ClusterState): Promise<void>
}

function pidOf(state: ClusterState, name: string): number {
  const entry = state.processes.find((p) => p.name === name)
  if (!entry) throw new Error(`no ${name} in the cluster`)
  return entry.pid
}

function crash(state: ClusterState, name: string) {
  process.kill(pidOf(state, name), 'SIGKILL')
}

/**
 * A database node: the one HAProxy writes to now, or another. Which is which is asked at the
 * moment of the kill, since the writer moves with every failover.
 */
function nodeFault(name: string, role: 'writer' | 'backup'): Fault {
  let index = -1
  return {
    name,
    async kill(state) {
      const writer = await currentWriter(state)
      if (writer === undefined) throw new Error('HAProxy names no database writer')
      index = role === 'writer' ? writer : (writer + 1) % state.ports.nodes.length
      crash(state, `node${index + 1}`)
    },
    async restart(state) {
      // A donor leaves Synced while it sends: named a backup, not the writer, or HAProxy moves
      // the writes away from it and cuts their connections (27 × 503 in one nightly run)
      const writer = await currentWriter(state)
      const donors = state.ports.nodes.map((_, i) => i).filter((i) => i !== index && i !== writer)
      // recovered position first, then IST (galera_recovery's way)
      await startNode(state, index, 'rejoin', donors)
      await waitSynced(state, index)
    },
  }
}

let killedRedis = -1

export const FAULTS: Fault[] = [
  nodeFault('writer database node', 'writer'),
  nodeFault('backup database node', 'backup'),
  {
    name: 'API instance (api2)',
    async kill(state) {
      crash(state, 'api2')
    },
    async restart(state) {
      await startApiInstance(state, 1)
      await waitApiInstance(state, 1)
    },
  },
  {
    name: 'Redis primary',
    async kill(state) {
      const primary = await sentinelPrimary(state)
      killedRedis = state.ports.redis.indexOf(primary ?? -1)
      if (killedRedis < 0) throw new Error('the Sentinels name no primary')
      crash(state, `redis${killedRedis + 1}`)
    },
    async restart(state) {
      const old = state.ports.redis[killedRedis]
      // the Sentinels elect the replica; the old primary comes back as its replica
      let primary: number | undefined
      for (let waited = 0; waited < 30_000; waited += 250) {
        primary = await sentinelPrimary(state)
        if (primary && primary !== old) break
        await sleep(250)
      }
      if (!primary || primary === old) throw new Error('the Sentinels did not fail over within 30 s')
      await startRedisServer(state, killedRedis, primary)
    },
  },
]
