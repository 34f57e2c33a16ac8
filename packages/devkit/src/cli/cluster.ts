/**
 * `pnpm cluster` starts the cluster of SPEC §8 on this machine (docs/deploy.md); `pnpm cluster
 * stop` stops exactly what it started.
 */
import { apiUrlOf, clusterRunning, sandboxUrlOf, startCluster, stopCluster } from '../cluster/cluster'
import { DEMO_ADMIN, DEMO_STAFF_PHONE, seedDemoData } from '../demoData'

const log = (line: string) => console.log(`[cluster] ${line}`)
const command = process.argv[2] ?? 'start'

if (command === 'stop') {
  const stopped = await stopCluster(log)
  log(stopped ? `${stopped} processes stopped` : 'nothing was running')
} else if (command === 'start') {
  if (clusterRunning()) {
    console.error('[cluster] a cluster is already running: pnpm cluster stop first')
    process.exit(1)
  }
  try {
    const state = await startCluster(log)
    // the same demo data as pnpm dev, so the dashboard and the H5 build have something to show
    for (const line of await seedDemoData(apiUrlOf(state))) log(line)
    const { ports } = state
    console.log(`
  Yuyue cluster is running (state in ${state.dir})
  ──────────────────────────────────────────────────────────────
  API (HAProxy → 3 instances)   ${apiUrlOf(state)}   admin ${DEMO_ADMIN.username} / ${DEMO_ADMIN.password}
  database (HAProxy → Galera)   127.0.0.1:${ports.database}  single writer (HAProxy stick table)
  Galera nodes                  ${ports.nodes.map((n) => n.mysql).join(', ')}  (agents ${ports.nodes.map((n) => n.check).join(', ')})
  Redis primary / replica       ${ports.redis.join(' / ')}   sentinels ${ports.sentinels.join(', ')} (name ${state.sentinelName})
  API instances                 ${ports.apis.join(', ')}
  admin dashboard               http://127.0.0.1:${ports.admin}
  mini-program (H5)             http://127.0.0.1:${ports.h5}
  WeChat sandbox                ${sandboxUrlOf(state)}   demo staff phone ${DEMO_STAFF_PHONE}
  HAProxy stats                 http://127.0.0.1:${ports.haproxyStats}/
  ──────────────────────────────────────────────────────────────
  pnpm cluster stop   stops all of it
`)
  } catch (error) {
    console.error(`[cluster] ${(error as Error).message}`)
    console.error('[cluster] stopping what was started')
    await stopCluster(log)
    process.exit(1)
  }
} else {
  console.error('usage: pnpm cluster [start|stop]')
  process.exit(2)
}
