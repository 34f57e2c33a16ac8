import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { databaseUrl, type Harness, resetDatabase, startHarness } from './support/harness'

const run = promisify(execFile)
const apiDir = fileURLToPath(new URL('..', import.meta.url))
const createAdmin = fileURLToPath(new URL('../src/cli/create-admin.ts', import.meta.url))

let h: Harness

function adminLogin(app: Harness['app'], username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: { username, password } })
}

async function adminCount(username: string): Promise<number> {
  const [rows] = await h.app.db.execute(
    sql`SELECT COUNT(*) AS n FROM admin_accounts WHERE username = ${username}`,
  )
  return Number((rows as unknown as { n: number }[])[0]!.n)
}

/** `pnpm --filter @yuyue/api admin:create <username>`, as an operator runs it. */
async function runCreateAdmin(username: string, password: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', createAdmin, username], {
      cwd: apiDir,
      // only what the CLI reads: nothing from this test process's environment leaks in
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: databaseUrl(),
        MIGRATE_ON_START: 'false',
        ADMIN_PASSWORD: password,
      },
      timeout: 20_000,
    })
    return { code: 0, stdout: stdout.trim(), stderr: stderr.trim() }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return {
      code: failed.code ?? -1,
      stdout: failed.stdout?.trim() ?? '',
      stderr: failed.stderr?.trim() ?? '',
    }
  }
}

beforeAll(async () => {
  h = await startHarness()
})
beforeEach(async () => {
  await resetDatabase(h.app)
})
afterAll(() => h.close())

describe('ADMIN_USERNAME / ADMIN_PASSWORD at start', () => {
  const startWith = (username: string, password: string) =>
    startHarness({ env: { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } })

  it('creates the admin when absent, once, and audits it', async () => {
    expect(await adminCount('boss')).toBe(0)
    const first = await startWith('boss', 'first-password-1')
    try {
      const login = await adminLogin(first.app, 'boss', 'first-password-1')
      expect(login.statusCode, login.body).toBe(200)
      expect(login.json().admin).toMatchObject({ username: 'boss' })
    } finally {
      await first.close()
    }
    // a restart finds it and creates no second one
    const again = await startWith('boss', 'first-password-1')
    await again.close()
    expect(await adminCount('boss')).toBe(1)
    const [rows] = await h.app.db.execute(sql`SELECT action FROM audit_log WHERE action = 'admin.create'`)
    expect(rows).toEqual([{ action: 'admin.create' }])
  })

  it('never overwrites the password of an admin that exists', async () => {
    const first = await startWith('boss', 'first-password-1')
    await first.close()
    const restarted = await startWith('boss', 'another-password-2')
    try {
      expect((await adminLogin(restarted.app, 'boss', 'first-password-1')).statusCode).toBe(200)
      const refused = await adminLogin(restarted.app, 'boss', 'another-password-2')
      expect(refused.statusCode).toBe(401)
      expect(refused.json().error.code).toBe('BAD_CREDENTIALS')
    } finally {
      await restarted.close()
    }
  })
})

describe('the admin:create CLI', () => {
  it('creates an admin with ADMIN_PASSWORD, then sets a new password for it', async () => {
    const created = await runCreateAdmin('ops', 'cli-password-one')
    expect(created).toMatchObject({ code: 0, stdout: 'admin ops created' })
    expect((await adminLogin(h.app, 'ops', 'cli-password-one')).statusCode).toBe(200)

    const updated = await runCreateAdmin('ops', 'cli-password-two')
    expect(updated).toMatchObject({ code: 0, stdout: 'password of admin ops updated' })
    expect(await adminCount('ops')).toBe(1)
    expect((await adminLogin(h.app, 'ops', 'cli-password-two')).statusCode).toBe(200)
    const old = await adminLogin(h.app, 'ops', 'cli-password-one')
    expect(old.statusCode).toBe(401)
    expect(old.json().error.code).toBe('BAD_CREDENTIALS')
    // the password is never printed
    expect(`${created.stdout}${created.stderr}${updated.stdout}${updated.stderr}`).not.toContain(
      'cli-password',
    )
  })

  it('refuses a password shorter than 8 characters and creates nothing', async () => {
    const refused = await runCreateAdmin('ops', 'short')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe('the password must have at least 8 characters')
    expect(await adminCount('ops')).toBe(0)
  })
})
