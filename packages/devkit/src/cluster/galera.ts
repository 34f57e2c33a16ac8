import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isOwnProcess, runCommand, spawnDetached, tailOfFile } from '../processes'
import { findExecutable, installSystemPackages } from '../system-packages'
import { type ClusterState, recordProcess } from './state'

const PROVIDER = '/usr/lib/galera/libgalera_smm.so'

/** Debian's Galera, MariaDB server and rsync (the state transfer), installed when missing. */
export async function requireGalera(log: (line: string) => void): Promise<void> {
  const missing: string[] = []
  if (!findExecutable(['mariadbd'])) missing.push('mariadb-server')
  if (!existsSync(PROVIDER)) missing.push('galera-4')
  if (!findExecutable(['rsync'])) missing.push('rsync')
  if (missing.length)
    await installSystemPackages(missing, `a Galera cluster needs ${missing.join(', ')}`, log)
}

export function nodeDir(state: ClusterState, index: number): string {
  return join(state.dir, `node${index + 1}`)
}

export const nodeSocket = (state: ClusterState, index: number) => join(nodeDir(state, index), 'mysqld.sock')

function nodeArguments(state: ClusterState, index: number, extra: string[]): string[] {
  const dir = nodeDir(state, index)
  const node = state.ports.nodes[index]!
  const members = state.ports.nodes.map((n) => `127.0.0.1:${n.gcomm}`).join(',')
  return [
    '--no-defaults',
    '--user=root',
    `--datadir=${join(dir, 'data')}`,
    `--socket=${nodeSocket(state, index)}`,
    `--port=${node.mysql}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    '--wsrep-on=ON',
    `--wsrep-provider=${PROVIDER}`,
    `--wsrep-cluster-address=gcomm://${members}`,
    // a node that stops answering is evicted after 3 s instead of 5, so the others stall less
    `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${node.gcomm};ist.recv_addr=127.0.0.1:${node.ist};evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT0.5S;evs.keepalive_period=PT0.5S`,
    `--wsrep-sst-receive-address=127.0.0.1:${node.sst}`,
    '--wsrep-node-address=127.0.0.1',
    `--wsrep-node-name=node${index + 1}`,
    '--wsrep-cluster-name=yuyue',
    '--wsrep-sst-method=rsync',
    '--binlog-format=ROW',
    '--innodb-autoinc-lock-mode=2',
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=2',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    ...extra,
  ]
}

// Debian's `nobody`: what the joiner's rsync daemon (wsrep_sst_rsync) runs as when started by root
const NOBODY = 65534

async function initialise(
  state: ClusterState,
  index: number,
  mode: 'bootstrap' | 'join' | 'rejoin',
): Promise<void> {
  const dir = nodeDir(state, index)
  const data = join(dir, 'data')
  if (!existsSync(join(data, 'mysql'))) {
    await mkdir(dir, { recursive: true })
    // a joiner's is filled by the state transfer
    if (mode === 'join') await mkdir(data, { recursive: true })
    else await installDatabase(data)
  }
  // every transfer to this node (a full one, or the marker file even an IST sends) is written by
  // the joiner's rsync daemon, which runs as nobody when started by root
  await runCommand('chown', ['-R', `${NOBODY}:${NOBODY}`, data])
}

function installDatabase(data: string) {
  return runCommand('mariadb-install-db', [
    '--no-defaults',
    '--user=root',
    `--datadir=${data}`,
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
  ])
}

/** `SHOW STATUS` of one node through its socket, or null when it does not answer. */
export async function wsrepStatus(
  state: ClusterState,
  index: number,
): Promise<Record<string, string> | null> {
  try {
    const out = await runCommand('mariadb', [
      `--socket=${nodeSocket(state, index)}`,
      '-uroot',
      '-N',
      '-B',
      '-e',
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment','wsrep_cluster_size','wsrep_ready','wsrep_cluster_status')",
    ])
    return Object.fromEntries(
      out
        .trim()
        .split('\n')
        .map((line) => line.split('\t') as [string, string]),
    )
  } catch {
    return null
  }
}

export async function waitSynced(state: ClusterState, index: number, timeoutMs = 120_000): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    const status = await wsrepStatus(state, index)
    if (status?.wsrep_local_state_comment === 'Synced' && status.wsrep_ready === 'ON')
      return Date.now() - started
    const pid = await nodePid(state, index)
    if (pid === undefined && Date.now() - started > 5000) break
    await sleep(300)
  }
  throw new Error(
    `galera node${index + 1} is not Synced after ${Date.now() - started} ms:\n${await tailOfFile(join(nodeDir(state, index), 'error.log'))}`,
  )
}

async function nodePid(state: ClusterState, index: number): Promise<number | undefined> {
  const entry = state.processes.find((p) => p.name === `node${index + 1}`)
  return entry && isOwnProcess(entry.pid, entry.marker) ? entry.pid : undefined
}

/**
 * Starts node `index`: the first node of a new cluster bootstraps it; a node restarted after a
 * crash first recovers its position (`--wsrep-recover`, what `galera_recovery` does) so it rejoins
 * by IST, sending only what it missed, instead of copying everything again (SST). `donors` names
 * the nodes it should take that from, in order (any other if none of them can).
 */
export async function startNode(
  state: ClusterState,
  index: number,
  mode: 'bootstrap' | 'join' | 'rejoin',
  donors: number[] = [],
): Promise<void> {
  await initialise(state, index, mode)
  const extra: string[] = []
  if (mode === 'bootstrap') extra.push('--wsrep-new-cluster')
  if (mode === 'rejoin') {
    const position = await recoverPosition(state, index)
    if (position) extra.push(`--wsrep-start-position=${position}`)
  }
  // the trailing comma: another node if the named ones cannot give
  if (donors.length) extra.push(`--wsrep-sst-donor=${donors.map((d) => `node${d + 1}`).join(',')},`)
  const dir = nodeDir(state, index)
  const child = spawnDetached('mariadbd', nodeArguments(state, index, extra), join(dir, 'mariadbd.out'))
  await recordProcess(state, { name: `node${index + 1}`, pid: child.pid, marker: join(dir, 'data') })
}

async function recoverPosition(state: ClusterState, index: number): Promise<string | undefined> {
  const dir = nodeDir(state, index)
  const logFile = join(dir, 'recover.log')
  await runCommand('mariadbd', [
    ...nodeArguments(state, index, []),
    '--wsrep-recover',
    `--log-error=${logFile}`,
  ])
  const text = await readFile(logFile, 'utf8').catch(() => '')
  return [...text.matchAll(/WSREP: Recovered position: (\S+)/g)].at(-1)?.[1]
}

/** Runs SQL as root on node `index` (through its socket). */
export function nodeSql(state: ClusterState, index: number, sql: string): Promise<string> {
  return runCommand('mariadb', [`--socket=${nodeSocket(state, index)}`, '-uroot', '-N', '-B', '-e', sql])
}
