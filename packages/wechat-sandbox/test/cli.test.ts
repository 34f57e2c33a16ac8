import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))
const started: ChildProcess[] = []

function runCli(env: Record<string, string>): { child: ChildProcess; exited: Promise<unknown> } {
  const {
    PORT: _port,
    SANDBOX_PORT: _sandboxPort,
    SANDBOX_APPS: _apps,
    WECHAT_APPS: _wechatApps,
    ...base
  } = process.env
  const child = spawn(tsx, ['src/cli.ts'], { cwd: packageDir, env: { ...base, ...env }, stdio: 'pipe' })
  started.push(child)
  // Listen at once: a CLI that fails fast may exit before the test gets to wait for it.
  return { child, exited: once(child, 'exit').then(([exitCode]) => exitCode) }
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) {
    text += String(chunk)
    if (text.includes('\n')) break
  }
  return text.split('\n')[0] ?? ''
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

describe('cli', () => {
  it('prints where it listens and which apps it serves, and exits cleanly on SIGTERM', async () => {
    const { child, exited } = runCli({
      SANDBOX_PORT: '0',
      PORT: '1',
      SANDBOX_APPS: 'wxcli000000000001:s1,wxcli000000000002:s2',
    })

    const line = await firstLine(child.stdout!)
    const url = line.match(/^WeChat sandbox listening on (http:\/\/127\.0\.0\.1:\d+) \(apps: (.*)\)$/)
    expect(url?.[2]).toBe('wxcli000000000001, wxcli000000000002')
    const health = await fetch(`${url?.[1]}/__sandbox/health`)
    expect(await health.json()).toEqual({ status: 'ok', apps: ['wxcli000000000001', 'wxcli000000000002'] })

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('stops with one line naming the variable when the port is not a port', async () => {
    const { child, exited } = runCli({ PORT: 'eighty' })

    const line = await firstLine(child.stderr!)

    expect(line).toBe('WeChat sandbox cannot start: PORT must be a port number from 0 to 65535, got "eighty"')
    expect(await exited).toBe(1)
  })

  it('stops with one line naming SANDBOX_TEMPLATES when a start-up template is bad', async () => {
    const { child, exited } = runCli({ SANDBOX_PORT: '0', SANDBOX_TEMPLATES: 'tmplReminder:title1' })

    const line = await firstLine(child.stderr!)

    expect(line).toBe(
      'WeChat sandbox cannot start: SANDBOX_TEMPLATES: title1 is not a WeChat template key such as thing1',
    )
    expect(await exited).toBe(1)
  })
})
