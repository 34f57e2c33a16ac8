import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import mysql from 'mysql2/promise'
import { DEMO_ADMIN } from '../demoData'
import { portsToBindLater } from '../free-port'
import { isOwnProcess, runCommand, spawnDetached, stopProcess } from '../processes'
import { repoRoot } from '../repo-root'
import { builtApiArguments, LOCAL_SUBSCRIBE_TEMPLATES } from '../stack'
import { nodeSql, requireGalera, startNode, waitSynced } from './galera'
import { requireHaproxy, startHaproxy } from './haproxy'
import { requireRedisSentinel, startRedisServer, startSentinel, waitForSentinels } from './redis-sentinel'
import {
  type ClusterState,
  clusterDir,
  databaseUrlOf,
  readClusterState,
  recordProcess,
  writeClusterState,
} from './state'

export const CLUSTER_SIZE = 3
export const API_INSTANCES = 3

async function allocatePorts(): Promise<ClusterState['ports']> {
  // all taken at once: the instances bind theirs a minute or more after this
  const free = await portsToBindLater(CLUSTER_SIZE * 5 + 3 + 2 + 3 + API_INSTANCES + 3)
  const take = (n: number) => free.splice(0, n)
  const nodePorts = take(CLUSTER_SIZE * 5)
  const [database, api, haproxyStats] = take(3) as [number, number, number]
  const redis = take(2)
  const sentinels = take(3)
  const apis = take(API_INSTANCES)
  const [sandbox, admin, h5] = take(3) as [number, number, number]
  return {
    nodes: Array.from({ length: CLUSTER_SIZE }, (_, i) => {
      const [mysql, gcomm, ist, sst, check] = nodePorts.slice(i * 5, i * 5 + 5) as number[]
      return { mysql: mysql!, gcomm: gcomm!, ist: ist!, sst: sst!, check: check! }
    }),
    database,
    api,
    haproxyStats,
    redis,
    sentinels,
    apis,
    sandbox,
    admin,
    h5,
  }
}

export function apiUrlOf(state: ClusterState): string {
  return `http://127.0.0.1:${state.ports.api}`
}

export function sandboxUrlOf(state: ClusterState): string {
  return `http://127.0.0.1:${state.ports.sandbox}`
}

async function waitHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return
    } catch {}
    await sleep(250)
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`)
}

export function startClustercheck(state: ClusterState, index: number): Promise<void> {
  const devkit = join(repoRoot(), 'packages/devkit')
  const dir = join(state.dir, `node${index + 1}`)
  const script = join(devkit, 'src/cluster/clustercheck-agent.ts')
  const child = spawnDetached(
    process.execPath,
    ['--import', 'tsx', script, join(dir, 'mysqld.sock'), String(state.ports.nodes[index]!.check)],
    join(dir, 'clustercheck.log'),
  )
  return recordProcess(state, { name: `clustercheck${index + 1}`, pid: child.pid, marker: script })
}

/** API instance `index`, built, writing through HAProxy (by default) and reaching Redis through the Sentinels. */
export async function startApiInstance(
  state: ClusterState,
  index: number,
  /** another database address than HAProxy's (the multi-primary checks: instance i on node i) */
  databaseUrl = databaseUrlOf(state),
): Promise<void> {
  const apiDir = join(repoRoot(), 'apps/api')
  const port = state.ports.apis[index]!
  const env = {
    ...process.env,
    // a local demonstration seeded with the published demo admin, which production refuses
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_SENTINELS: state.ports.sentinels.map((p) => `127.0.0.1:${p}`).join(','),
    REDIS_SENTINEL_NAME: state.sentinelName,
    JWT_SECRET: state.jwtSecret,
    WECHAT_API_BASE: sandboxUrlOf(state),
    WECHAT_APPS: `${DEMO_APP.appId}:${DEMO_APP.secret}`,
    // reminders and cancel notices, as `pnpm dev` offers them; every instance runs the queue
    WECHAT_TEMPLATES: LOCAL_SUBSCRIBE_TEMPLATES.api,
    SUBSCRIBE_INTERVAL_MS: '1000',
    ADMIN_USERNAME: DEMO_ADMIN.username,
    ADMIN_PASSWORD: DEMO_ADMIN.password,
    PUBLIC_BASE_URL: apiUrlOf(state),
    // HAProxy, one hop in front: the client is the last X-Forwarded-For entry
    TRUST_PROXY: '1',
    // HAProxy's check: every 1 s, out after 2 failures
    DRAIN_DELAY_MS: '2500',
    RATE_LIMIT_WX_LOGIN: '0',
    MIGRATE_ON_START: 'true',
  }
  const dir = join(state.dir, `api${index + 1}`)
  await mkdir(dir, { recursive: true })
  const { spawn } = await import('node:child_process')
  const { openSync, closeSync } = await import('node:fs')
  const log = openSync(join(dir, 'api.log'), 'a')
  const child = spawn(process.execPath, builtApiArguments(apiDir), {
    cwd: apiDir,
    env,
    detached: true,
    stdio: ['ignore', log, log],
  })
  closeSync(log)
  child.unref()
  if (!child.pid) throw new Error(`api${index + 1} did not start`)
  await recordProcess(state, { name: `api${index + 1}`, pid: child.pid, marker: 'dist/server.js' })
}

/**
 * The dashboard and the H5 build, built once (`vite build`, `taro build --type h5`) and served
 * with their API calls going to the load balancer.
 */
async function startFrontEnds(state: ClusterState, log: (line: string) => void): Promise<void> {
  const root = repoRoot()
  const adminDist = join(root, 'apps/admin/dist')
  const h5Dist = join(root, 'apps/miniapp/dist/h5')
  // built once (a minute on two cores): delete a dist to have it built again
  if (!existsSync(join(adminDist, 'index.html'))) {
    log('building the admin dashboard (apps/admin/dist)')
    await runCommand('pnpm', ['--filter', '@yuyue/admin', 'build'])
  }
  if (!existsSync(join(h5Dist, 'index.html'))) {
    log('building the mini-program for H5 (apps/miniapp/dist/h5)')
    await runCommand('pnpm', ['--filter', '@yuyue/miniapp', 'build:h5'])
  }
  const script = join(root, 'packages/devkit/src/cluster/front-ends-server.ts')
  const child = spawnDetached(
    process.execPath,
    [
      '--import',
      'tsx',
      script,
      apiUrlOf(state),
      sandboxUrlOf(state),
      adminDist,
      String(state.ports.admin),
      h5Dist,
      String(state.ports.h5),
    ],
    join(state.dir, 'front-ends.log'),
  )
  await recordProcess(state, { name: 'front-ends', pid: child.pid, marker: script })
  await waitHttp(`http://127.0.0.1:${state.ports.admin}/`, 30_000)
}

export function waitApiInstance(state: ClusterState, index: number, timeoutMs = 90_000): Promise<void> {
  return waitHttp(`http://127.0.0.1:${state.ports.apis[index]}/readyz`, timeoutMs)
}

/**
 * `pnpm cluster`: a fresh 3-node Galera cluster behind HAProxy (single writer), Redis with
 * Sentinel, the WeChat sandbox and 3 API instances behind HAProxy's HTTP front, all on this
 * machine from Debian's packages. Everything it starts is recorded in `.local/cluster/state.json`
 * for `stopCluster`.
 */
export async function startCluster(
  log: (line: string) => void,
  options: { frontEnds: boolean } = { frontEnds: true },
): Promise<ClusterState> {
  if (clusterRunning()) throw new Error('a cluster is already running: pnpm cluster stop first')
  await requireGalera(log)
  const haproxy = await requireHaproxy(log)
  await requireRedisSentinel(log)
  // always: a bundle left from older sources would be what the cluster runs (a few seconds)
  log('building the API (apps/api/dist)')
  await runCommand('pnpm', ['--filter', '@yuyue/api', 'build'])

  const dir = clusterDir()
  await rm(dir, { recursive: true, force: true })
  const state: ClusterState = {
    dir,
    ports: await allocatePorts(),
    database: { user: 'yuyue', password: randomBytes(12).toString('hex'), name: 'yuyue' },
    jwtSecret: randomBytes(32).toString('hex'),
    sentinelName: 'yuyue',
    processes: [],
  }
  await writeClusterState(state)

  log('galera: bootstrapping node1')
  await startNode(state, 0, 'bootstrap')
  await waitSynced(state, 0)
  const { user, password, name } = state.database
  await nodeSql(
    state,
    0,
    `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
     CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}';
     GRANT ALL PRIVILEGES ON ${name}.* TO '${user}'@'127.0.0.1';
     GRANT ALL PRIVILEGES ON \`yuyue\\_drill%\`.* TO '${user}'@'127.0.0.1';`,
  )
  // joiners one at a time: two state transfers from one donor at once would wait for each other
  for (const index of [1, 2]) {
    log(`galera: node${index + 1} joining`)
    await startNode(state, index, 'join')
    await waitSynced(state, index)
  }
  for (let index = 0; index < CLUSTER_SIZE; index++) await startClustercheck(state, index)

  log('redis: primary, replica, three sentinels')
  await startRedisServer(state, 0)
  await startRedisServer(state, 1, state.ports.redis[0])
  for (let index = 0; index < 3; index++) await startSentinel(state, index)
  await waitForSentinels(state)

  await startHaproxy(state, haproxy)
  const sandboxDir = join(repoRoot(), 'packages/wechat-sandbox')
  const sandbox = spawnDetached(
    'env',
    [
      `SANDBOX_PORT=${state.ports.sandbox}`,
      `SANDBOX_APPS=${DEMO_APP.appId}:${DEMO_APP.secret}`,
      `SANDBOX_TEMPLATES=${LOCAL_SUBSCRIBE_TEMPLATES.sandbox}`,
      process.execPath,
      '--import',
      'tsx',
      join(sandboxDir, 'src/cli.ts'),
    ],
    join(dir, 'sandbox.log'),
  )
  await recordProcess(state, { name: 'sandbox', pid: sandbox.pid, marker: join(sandboxDir, 'src/cli.ts') })
  await waitHttp(`${sandboxUrlOf(state)}/__sandbox/health`, 30_000)

  // HAProxy marks a node up after two passed checks, and the clustercheck agents were just
  // started: an instance started before then is refused, and stops (it does not wait at start)
  await waitDatabaseThroughProxy(state, 30_000)
  // all at once against the fresh cluster: the migration lock must hold across nodes
  log('api: three instances, migrating together')
  for (let index = 0; index < API_INSTANCES; index++) await startApiInstance(state, index)
  await Promise.all(state.ports.apis.map((_, index) => waitApiInstance(state, index)))
  await waitHttp(`${apiUrlOf(state)}/readyz`, 30_000)
  if (options.frontEnds) await startFrontEnds(state, log)
  return state
}

/** Waits until a connection through HAProxy answers a query. */
async function waitDatabaseThroughProxy(state: ClusterState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const connection = await mysql.createConnection({ uri: databaseUrlOf(state), connectTimeout: 2000 })
      try {
        await connection.query('SELECT 1')
        return
      } finally {
        await connection.end().catch(() => undefined)
      }
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`HAProxy passed no database connection within ${timeoutMs} ms`, { cause: error })
      await sleep(250)
    }
  }
}

/** Whether a process `pnpm cluster` recorded still runs. */
export function clusterRunning(): boolean {
  return readClusterState()?.processes.some((p) => isOwnProcess(p.pid, p.marker)) ?? false
}

/** Stops exactly what `startCluster` recorded (each pid checked against its command line). */
export async function stopCluster(log: (line: string) => void): Promise<number> {
  const state = readClusterState()
  if (!state) return 0
  let stopped = 0
  // the front first, the database last
  for (const entry of [...state.processes].reverse()) {
    if (!isOwnProcess(entry.pid, entry.marker)) continue
    await stopProcess(entry.pid, 20_000)
    log(`stopped ${entry.name} (pid ${entry.pid})`)
    stopped++
  }
  state.processes = []
  await writeClusterState(state)
  return stopped
}
