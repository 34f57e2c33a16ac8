import { existsSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { repoRoot } from '../repo-root'

/** A process `pnpm cluster` started: stopped only if its pid still runs a command with `marker`. */
export interface ClusterProcess {
  name: string
  pid: number
  marker: string
}

/** Everything about the running cluster, kept in `.local/cluster/state.json`. */
export interface ClusterState {
  dir: string
  ports: {
    nodes: { mysql: number; gcomm: number; ist: number; sst: number; check: number }[]
    database: number
    api: number
    haproxyStats: number
    redis: number[]
    sentinels: number[]
    apis: number[]
    sandbox: number
    admin: number
    h5: number
  }
  database: { user: string; password: string; name: string }
  jwtSecret: string
  sentinelName: string
  processes: ClusterProcess[]
}

export function clusterDir(): string {
  return join(repoRoot(), '.local', 'cluster')
}

const stateFile = (dir: string) => join(dir, 'state.json')

export function readClusterState(dir = clusterDir()): ClusterState | null {
  if (!existsSync(stateFile(dir))) return null
  return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as ClusterState
}

export async function writeClusterState(state: ClusterState): Promise<void> {
  await mkdir(state.dir, { recursive: true })
  await writeFile(stateFile(state.dir), `${JSON.stringify(state, null, 2)}\n`)
}

/** Records a started process (replacing an earlier one of the same name) and saves the state. */
export async function recordProcess(state: ClusterState, process: ClusterProcess): Promise<void> {
  state.processes = [...state.processes.filter((p) => p.name !== process.name), process]
  await writeClusterState(state)
}

export function databaseUrlOf(state: ClusterState, port = state.ports.database): string {
  const { user, password, name } = state.database
  return `mysql://${user}:${password}@127.0.0.1:${port}/${name}`
}
