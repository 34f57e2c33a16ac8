/**
 * `pnpm drill [--quick]`: starts a fresh cluster (`pnpm cluster`), puts it under a stream of
 * logins, phone bindings, bookings and staff imports, and kills then restarts, one at a time, the
 * writer database node, a backup node, an API instance and the Redis primary. Reports each
 * fault's requests by status, longest stall, recovery time and loss, then SPEC §8's invariants;
 * the JSON goes to packages/devkit/drill-results/. Exits 1 when a target is missed.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import mysql from 'mysql2/promise'
import { apiUrlOf, clusterRunning, sandboxUrlOf, startCluster, stopCluster } from '../cluster/cluster'
import { type ClusterState, databaseUrlOf } from '../cluster/state'
import { FAULTS } from '../drill/faults'
import { checkInvariants, measureLoss } from '../drill/invariants'
import { summarise, Workload } from '../drill/load'
import { multiPrimaryChecks } from '../drill/multiPrimary'
import { readAfterSwitch } from '../drill/readAfterSwitch'
import { repoRoot } from '../repo-root'

const quick = process.argv.includes('--quick')
const multiPrimary = process.argv.includes('--multi-primary')
const mode = multiPrimary ? 'multi-primary' : quick ? 'quick' : 'nightly'
const sizes = quick
  ? { people: 12, steadyMs: 5_000, downMs: 8_000, settleMs: 4_000, capacity: 100 }
  : { people: 40, steadyMs: 20_000, downMs: 20_000, settleMs: 10_000, capacity: 400 }
const log = (line: string) => console.log(`[drill] ${line}`)

const startedAt = new Date()

async function save(name: string, report: object): Promise<string> {
  const dir = join(repoRoot(), 'packages/devkit/drill-results')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `latest-${name}.json`)
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`)
  return file
}

/** The multi-primary checks: answers whether SPEC §8 held. */
async function multiPrimaryDrill(state: ClusterState): Promise<boolean> {
  const found = await multiPrimaryChecks(state, log, quick ? 10 : 30)
  const held =
    found.bookings.falseSuccesses === 0 &&
    found.bookings.overCapacity === 0 &&
    found.overlappingSlots.bothAnswered200 === 0 &&
    found.onePersonPerOpenid.split === 0 &&
    found.staffImportBesideLogins.status === 200 &&
    found.dailyLimit.slots > 0 &&
    found.dailyLimit.overLimit === 0 &&
    found.notices.accepted > 0 &&
    found.notices.recordedSent === found.notices.accepted &&
    found.notices.reachedWechat === found.notices.accepted &&
    found.notices.sentTwice === 0 &&
    Object.values(found.invariants).every((n) => n === 0)
  const seconds = (Date.now() - startedAt.getTime()) / 1000
  const file = await save(mode, { startedAt: startedAt.toISOString(), mode, seconds, ...found })
  log(JSON.stringify(found, null, 2))
  log(held ? 'every invariant held on multi-primary' : 'SPEC §8 broken on multi-primary (see above)')
  log(`report: ${file}`)
  return held
}

/** The faults on the single-writer topology: answers whether every target was met. */
async function singleWriterDrill(state: ClusterState): Promise<boolean> {
  const workload = new Workload(
    apiUrlOf(state),
    sandboxUrlOf(state),
    String(10 + Math.floor(Math.random() * 90)),
    sizes.capacity,
  )
  await workload.prepare()
  workload.start(sizes.people)
  await sleep(sizes.steadyMs)

  const tokenFetches = async () => {
    const stats = (await (await fetch(`${sandboxUrlOf(state)}/__sandbox/stats`)).json()) as {
      calls: Record<string, number>
    }
    return stats.calls['/cgi-bin/stable_token'] ?? 0
  }

  const faults = []
  for (const fault of FAULTS) {
    const fetchesBefore = await tokenFetches()
    const from = workload.now()
    log(`${fault.name}: kill`)
    await fault.kill(state)
    await sleep(sizes.downMs)
    const restartAt = workload.now()
    await fault.restart(state)
    const back = workload.now()
    log(`${fault.name}: back after ${back - restartAt} ms`)
    await sleep(sizes.settleMs)
    const to = workload.now()
    faults.push({
      fault: fault.name,
      downMs: restartAt - from,
      recoveryMs: back - restartAt,
      ...summarise(workload.samples, from, to),
      extraTokenFetches: (await tokenFetches()) - fetchesBefore,
    })
    await sleep(sizes.steadyMs / 2)
  }
  await workload.stop()
  const switched = await readAfterSwitch(state, log)

  const pool = mysql.createPool({ uri: databaseUrlOf(state), connectionLimit: 2 })
  const loss = await measureLoss(pool, workload.answered)
  const invariants = await checkInvariants(pool)
  await pool.end()

  const whole = summarise(workload.samples, 0, workload.now() + 1)
  const targets = {
    noLoss: loss.total === 0,
    no500: whole.status500 === 0,
    invariants: Object.values(invariants).every((n) => n === 0),
    writerNodeErrorsWithin10s: (faults[0]?.longestOutageMs ?? 0) <= 10_000,
    apiInstanceErrorsWithin1s: (faults[2]?.longestOutageMs ?? 0) <= 1_000,
    redisFailoverErrorsWithin10s: (faults[3]?.longestOutageMs ?? 0) <= 10_000,
    redisFailoverAtMostOneExtraTokenFetch: (faults[3]?.extraTokenFetches ?? 0) <= 1,
    readAfterSwitch: switched.bindingStatus === 200 && switched.bookingStatus === 200,
  }
  const report = {
    startedAt: startedAt.toISOString(),
    mode,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: { node: process.version, cpus: cpus().length, loadAverage: loadavg() },
    sizes,
    answered: {
      logins: workload.answered.logins.length,
      phones: workload.answered.phones.length,
      bookings: workload.answered.bookings.length,
      staffRows: workload.answered.staff.length,
    },
    whole,
    faults,
    loss,
    invariants,
    readAfterSwitch: switched,
    targets,
  }
  const file = await save(mode, report)
  for (const f of faults) {
    log(
      `${f.fault}: ${f.requests} requests ${JSON.stringify(f.byStatus)}, errors for ${f.longestOutageMs} ms at most at once (first to last ${f.errorSpanMs} ms), longest stall ${f.longestStallMs} ms, back in ${f.recoveryMs} ms, token fetches +${f.extraTokenFetches}`,
    )
  }
  const refusals = Object.fromEntries(
    Object.entries(whole.byKind).map(([kind, counts]) => [
      kind,
      Object.fromEntries(Object.entries(counts).filter(([key]) => key.startsWith('4'))),
    ]),
  )
  log(`4xx answers by kind and code: ${JSON.stringify(refusals)}`)
  log(`loss ${JSON.stringify(loss)}; invariants ${JSON.stringify(invariants)}`)
  const missed = Object.entries(targets).filter(([, ok]) => !ok)
  log(missed.length ? `MISSED: ${missed.map(([name]) => name).join(', ')}` : 'every target met')
  log(`report: ${file}`)
  return missed.length === 0
}

if (clusterRunning()) {
  console.error('[drill] a cluster is running (pnpm cluster): the drill starts its own, stop that one first')
  process.exit(1)
}
let failed = true
try {
  const state = await startCluster(log, { frontEnds: false })
  failed = !(multiPrimary ? await multiPrimaryDrill(state) : await singleWriterDrill(state))
} catch (error) {
  console.error(`[drill] ${(error as Error).stack ?? error}`)
} finally {
  await stopCluster(() => {})
}
process.exit(failed ? 1 : 0)
