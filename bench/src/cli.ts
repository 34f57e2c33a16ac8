/**
 * `pnpm bench [--quick] [--only id,id] [--keep]`: builds the API if needed, starts the database,
 * the WeChat sandbox, the API in production mode and the floor, seeds people, runs every scenario
 * with autocannon, prints the table and writes bench/results/<timestamp>.json.
 *
 * Exit status: 1 when a scenario fails (an error, a wrong result, a 5xx…) in either mode; speed
 * targets are judged only in the full run, and a missed one is reported, not fatal.
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { ensureRedis, parseDatabaseUrl, startStack } from '@yuyue/devkit'
import { type BenchContext, callApi, logIn, type Session, shanghaiDay, type Target } from './context'
import { databasePid, sandboxPid } from './cpu'
import { BenchDatabases, ensureApiBuilt, randomSecret } from './environment'
import { startFloor } from './floor/start'
import { openidOf, randomBookers } from './people'
import { ApiProfiler, profilingEnv, summarizeProfile } from './profiler/profiler'
import { renderMarkdown, renderTable, type ScenarioReport, writeResults } from './report'
import { SandboxControl } from './sandbox'
import { adminSearch } from './scenarios/adminSearch'
import { bookingStorm } from './scenarios/bookingStorm'
import { firstLogin } from './scenarios/firstLogin'
import { loginFramework, loginScaling, loginVersusFloor } from './scenarios/login'
import { me } from './scenarios/me'
import { memory } from './scenarios/memory'
import { phoneBinding } from './scenarios/phoneBinding'
import { reminders } from './scenarios/reminders'
import { staffImport } from './scenarios/staffImport'
import { seedFloorSessions, seedPeople } from './seed'
import { FULL, QUICK } from './sizes'

type Scenario = (ctx: RunContext) => Promise<Omit<ScenarioReport, 'seconds'>>

interface RunContext extends BenchContext {
  /** the API of the large database started again with REDIS_URL (its own sandbox), made once */
  withRedis: () => Promise<Target>
}

interface Step {
  id: string
  /** the large database must hold this many people first */
  needs: (ctx: BenchContext) => number
  /** it books or reads with the logged-in sessions (`ctx.sessions()`) */
  sessions?: true
  run: Scenario
}

const all = (ctx: BenchContext) => ctx.sizes.largePopulation
const STEPS: Step[] = [
  { id: 'login-vs-floor', needs: (ctx) => ctx.sizes.loginPopulation, run: loginVersusFloor },
  { id: 'login-framework', needs: (ctx) => ctx.sizes.loginPopulation, run: loginFramework },
  { id: 'login-scaling', needs: all, run: loginScaling },
  { id: 'first-login', needs: all, run: firstLogin },
  { id: 'phone-binding', needs: all, run: (ctx) => phoneBinding(ctx) },
  { id: 'me', needs: all, sessions: true, run: (ctx) => me(ctx) },
  { id: 'admin-search', needs: all, run: adminSearch },
  { id: 'staff-import', needs: all, run: staffImport },
  { id: 'booking-storm', needs: all, sessions: true, run: bookingStorm },
  { id: 'reminders', needs: all, sessions: true, run: reminders },
  { id: 'memory', needs: all, sessions: true, run: memory },
  { id: 'phone-binding-redis', needs: all, run: async (ctx) => phoneBinding(ctx, await ctx.withRedis()) },
  { id: 'me-redis', needs: all, run: async (ctx) => me(ctx, await ctx.withRedis()) },
]

function parseArgs(argv: string[]) {
  const options = {
    quick: false,
    keep: false,
    profile: false,
    bufferPoolAsIs: false,
    only: null as Set<string> | null,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--quick') options.quick = true
    else if (arg === '--keep') options.keep = true
    else if (arg === '--profile') options.profile = true
    else if (arg === '--buffer-pool-as-is') options.bufferPoolAsIs = true
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const list = arg.includes('=') ? arg.slice('--only='.length) : argv[++i]
      options.only = new Set((list ?? '').split(',').filter(Boolean))
    } else if (arg === '--help' || arg === '-h') {
      console.log('pnpm bench [--quick] [--only <scenario,…>] [--keep] [--profile] [--buffer-pool-as-is]')
      console.log('  --quick    small sizes, correctness only (the test command runs this)')
      console.log('  --only     run these scenarios (the databases are still seeded as they need)')
      console.log('  --keep     keep the yuyue_bench_* databases afterwards')
      console.log('  --profile  CPU-profile the API through each scenario (results/profiles/<time>/)')
      console.log("  --buffer-pool-as-is  leave InnoDB's buffer pool as found (the full run makes it ≥ 1 GB)")
      console.log(`scenarios: ${STEPS.map((s) => s.id).join(', ')}`)
      process.exit(0)
    } else if (arg !== '--') {
      throw new Error(`unknown argument ${arg} (try --help)`)
    }
  }
  for (const id of options.only ?? []) {
    if (!STEPS.some((s) => s.id === id))
      throw new Error(`no scenario ${id}; known: ${STEPS.map((s) => s.id).join(', ')}`)
  }
  return options
}

const BUFFER_POOL_BYTES = 1024 * 1024 * 1024

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

/** What to undo, last first: servers, pools, databases. Also run on Ctrl-C. */
const cleanups: (() => Promise<unknown>)[] = []
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse())
    await cleanup().catch((error) => log(`cleanup: ${error}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers and dropping this run's databases`)
    void cleanUp().finally(() => process.exit(130))
  })
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2))
  const sizes = options.quick ? QUICK : FULL
  const startedAt = new Date()
  const began = performance.now()
  const reports: ScenarioReport[] = []
  let bufferPoolBytes: { found: number; run: number } | null = null
  try {
    await ensureApiBuilt(log)
    const databases = await BenchDatabases.open(log)
    cleanups.push(() => (options.keep ? Promise.resolve() : databases.dropAll()))
    // 1 000 000 people are ~0.5 GB of rows and indexes: the pool a deployment would give them
    const bufferPool =
      options.quick || options.bufferPoolAsIs ? null : await databases.sizeBufferPool(BUFFER_POOL_BYTES, log)
    if (bufferPool) {
      cleanups.push(() => bufferPool.restore())
      bufferPoolBytes = { found: bufferPool.foundBytes, run: bufferPool.runBytes }
    }
    const [largeUrl, smallUrl, floorUrl] = [
      await databases.fresh('large'),
      await databases.fresh('small'),
      await databases.fresh('floor'),
    ]
    const jwtSecret = randomSecret(32)
    const admin = { username: 'bench-admin', password: randomSecret() }
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: jwtSecret,
      RATE_LIMIT_WX_LOGIN: '0',
      RATE_LIMIT_ADMIN_LOGIN: '0',
      LOG_LEVEL: 'warn',
      ADMIN_USERNAME: admin.username,
      ADMIN_PASSWORD: admin.password,
    }

    const profileDir = options.profile ? profilesDir(startedAt) : undefined

    log('starting the sandboxes, the APIs (production build) and the floor')
    const startTarget = async (name: string, databaseUrl: string): Promise<Target> => {
      const profiled = profileDir && name === 'large' ? profilingEnv(profileDir) : {}
      const stack = await startStack({
        databaseUrl,
        api: 'built',
        // reminders: the sandbox knows the templates the API offers; the queue is read every second
        subscribeTemplates: true,
        env: { ...env, SUBSCRIBE_INTERVAL_MS: '1000', ...profiled },
        output: 'quiet',
      })
      cleanups.push(() => stack.stop())
      const db = databases.pool(databaseUrl)
      cleanups.push(() => db.end())
      const app = stack.apps[0]!
      return {
        name,
        stack,
        sandbox: new SandboxControl(stack.sandboxUrl, app.appId),
        sandboxPid: sandboxPid(stack.sandboxUrl),
        db,
        databaseUrl,
        population: 0,
      }
    }
    const [large, small] = await Promise.all([startTarget('large', largeUrl), startTarget('small', smallUrl)])
    const floor = await startFloor({
      databaseUrl: floorUrl,
      peopleDatabaseUrl: largeUrl,
      wechatApiBase: large.stack.sandboxUrl,
      app: large.stack.apps[0]!,
      tokenSecret: jwtSecret,
    })
    cleanups.push(() => floor.stop())
    const floorDb = databases.pool(floorUrl)
    cleanups.push(() => floorDb.end())

    const grow = async (target: Target, population: number) => {
      if (population <= target.population) return
      log(`seeding ${target.name}: people ${target.population + 1}..${population}`)
      const range = { appId: target.stack.apps[0]!.appId, from: target.population + 1, to: population }
      const seeded = await seedPeople(target.db, range)
      log(`  ${seeded.people.toLocaleString('en-US')} people in ${(seeded.ms / 1000).toFixed(1)} s`)
      // the floor's login upserts into a table as large as the API's (the large one's)
      if (target === large) {
        const floorSeeded = await seedFloorSessions(floorDb, range)
        log(`  the floor's table too, in ${(floorSeeded.ms / 1000).toFixed(1)} s`)
      }
      target.population = population
    }
    await grow(small, sizes.smallPopulation)

    let sessions: Promise<Session[]> | null = null
    let redisTarget: Promise<Target> | null = null
    let newcomers = 1
    let daysAhead = 2
    const ctx: RunContext = {
      quick: options.quick,
      sizes,
      log,
      large,
      small,
      floor,
      databasePid: databasePid(parseDatabaseUrl(largeUrl).port),
      admin,
      profileDir,
      growLarge: (population) => grow(large, population),
      sessions: () => {
        sessions ??= (async () => {
          const people = randomBookers(large.population, sizes.sessions)
          log(`  logging ${people.length.toLocaleString('en-US')} people in for their sessions`)
          const { tokens, failures } = await logIn(large, people.map(openidOf), sizes.connections)
          if (failures) throw new Error(`${failures} session logins failed`)
          return people.map((person, i) => ({ person, token: tokens[i]! }))
        })()
        return sessions
      },
      newcomers: (count) => {
        const first = newcomers
        newcomers += count
        return first
      },
      freeDay: () => shanghaiDay(daysAhead++),
      withRedis: () => {
        redisTarget ??= (async () => {
          const redis = await ensureRedis({ log })
          log('starting a second API on the large database, with REDIS_URL')
          const stack = await startStack({
            databaseUrl: largeUrl,
            redisUrl: redis.url,
            api: 'built',
            // a prefix of its own: no key of another run or of the tests is read or left behind
            env: { ...env, REDIS_PREFIX: `bench${process.pid}:` },
            output: 'quiet',
          })
          cleanups.push(() => stack.stop())
          return {
            name: 'Redis',
            stack,
            sandbox: new SandboxControl(stack.sandboxUrl, stack.apps[0]!.appId),
            sandboxPid: sandboxPid(stack.sandboxUrl),
            db: large.db,
            databaseUrl: largeUrl,
            population: large.population,
          }
        })()
        return redisTarget
      },
    }
    await callApi(large, 'GET', '/readyz')
    const profiler = profileDir ? new ApiProfiler(large.stack.apiPid, profileDir) : null
    if (profileDir)
      log(`profiling the large API into ${profileDir} (figures of a profiled run are not comparable)`)

    for (const step of STEPS) {
      if (options.only && !options.only.has(step.id)) continue
      await ctx.growLarge(step.needs(ctx))
      // a profile shows the scenario's own requests, not the logins that made its sessions
      if (profiler && step.sessions) await ctx.sessions()
      log(`scenario ${step.id}`)
      const began = performance.now()
      profiler?.start()
      try {
        const report = await step.run(ctx)
        if (profiler) report.figures.profile = await profileSummary(profiler, step.id)
        reports.push({ ...report, seconds: (performance.now() - began) / 1000 })
      } catch (error) {
        log(`  ${step.id} failed: ${(error as Error).stack ?? error}`)
        reports.push({
          id: step.id,
          title: step.id,
          rows: [],
          checks: [],
          figures: {},
          seconds: (performance.now() - began) / 1000,
          error: (error as Error).message,
        })
      }
    }
  } finally {
    await cleanUp()
  }

  const failed = reports.filter((r) => r.error || r.checks.some((c) => !c.ok))
  const missed = reports.flatMap((r) =>
    r.rows.filter((row) => row.pass === false).map((row) => `${r.title}: ${row.target}`),
  )
  const seconds = (performance.now() - began) / 1000
  console.log('')
  console.log(renderTable(reports))
  console.log('')
  const path = writeResults(
    {
      startedAt: startedAt.toISOString(),
      mode: options.quick ? 'quick' : 'full',
      seconds,
      machine: machineInfo(),
      database: { bufferPoolBytes },
      sizes,
      scenarios: reports,
      markdown: renderMarkdown(reports),
    },
    startedAt,
  )
  console.log(`results: ${path} (${seconds.toFixed(0)} s in all)`)
  if (options.quick) console.log('quick mode: sizes are small and speed targets are not judged')
  else if (missed.length)
    console.log(`targets missed (${missed.length}):\n${missed.map((m) => `  - ${m}`).join('\n')}`)
  else console.log('every target met')
  if (failed.length) {
    console.log(`FAILED: ${failed.map((r) => r.id).join(', ')}`)
    return 1
  }
  return 0
}

function profilesDir(startedAt: Date): string {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    'results',
    'profiles',
    startedAt.toISOString().replace(/[:.]/g, '-'),
  )
}

/** Stops the scenario's profile and prints where the API's CPU time went. */
async function profileSummary(profiler: ApiProfiler, id: string) {
  const summary = summarizeProfile(await profiler.stop(id), 30)
  const line = (share: number, ms: number, what: string) =>
    log(`    ${(share * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${what}`)
  log(`  API CPU profile of ${id} (${(summary.totalMs / 1000).toFixed(1)} s sampled), self time by origin:`)
  for (const entry of summary.byOrigin.slice(0, 10)) line(entry.share, entry.ms, entry.origin)
  log('  by function:')
  for (const entry of summary.byFunction.slice(0, 15)) line(entry.share, entry.ms, entry.fn)
  return summary
}

function machineInfo() {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg(),
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${(error as Error).stack ?? error}`)
    process.exit(1)
  },
)
