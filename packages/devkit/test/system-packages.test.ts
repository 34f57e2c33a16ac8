import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isPortFree } from '../src/free-port'
import { freePort, repoRoot } from '../src/index'
import { findExecutable, installSystemPackages } from '../src/system-packages'

describe('installing what a machine lacks', () => {
  it('tells a non-root user the exact command to run', async () => {
    const lines: string[] = []
    const install = installSystemPackages(
      ['mariadb-server'],
      'No MariaDB server binaries',
      (line) => lines.push(line),
      {
        asRoot: false,
      },
    )

    await expect(install).rejects.toThrow(
      'No MariaDB server binaries. Install it with: sudo apt-get install -y mariadb-server',
    )
    expect(lines).toEqual([])
  })

  it('names every package of a multi-package install', async () => {
    await expect(
      installSystemPackages(
        ['chromium', 'fonts-wqy-microhei'],
        'Browser tests need /usr/bin/chromium',
        () => {},
        {
          asRoot: false,
        },
      ),
    ).rejects.toThrow('sudo apt-get install -y chromium fonts-wqy-microhei')
  })

  it('finds daemons in sbin even when PATH lacks it', () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      expect(findExecutable(['sh'])).toMatch(/\/sh$/)
      expect(findExecutable(['no-such-binary-devkit'])).toBeUndefined()
    } finally {
      process.env.PATH = path
    }
  })
})

describe('repoRoot and freePort', () => {
  it('finds the workspace root', () => {
    expect(existsSync(join(repoRoot(), 'pnpm-workspace.yaml'))).toBe(true)
    expect(existsSync(join(repoRoot(), 'packages', 'devkit', 'package.json'))).toBe(true)
  })

  it('returns a port that can be bound', async () => {
    const port = await freePort()

    expect(port).toBeGreaterThan(1024)
    expect(await isPortFree(port)).toBe(true)
  })
})
