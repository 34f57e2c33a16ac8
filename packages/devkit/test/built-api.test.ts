import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../src/repo-root'
import { builtApiArguments } from '../src/stack'

function apiWithStart(start: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'yuyue-api-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }))
  return dir
}

describe('the built API is started as its start script says', () => {
  it('takes the Node flags of the start script', () => {
    expect(builtApiArguments(apiWithStart('node --max-old-space-size=96  dist/server.js'))).toEqual([
      '--max-old-space-size=96',
      'dist/server.js',
    ])
  })

  it("runs the real API with its start script's heap flags", () => {
    const args = builtApiArguments(join(repoRoot(), 'apps/api'))
    expect(args.at(-1)).toBe('dist/server.js')
    expect(args.slice(0, -1)).toContain('--heap-growing-percent=50')
    expect(args.slice(0, -1).every((arg) => arg.startsWith('--'))).toBe(true)
  })

  it('refuses a start script it cannot run the same way', () => {
    expect(() => builtApiArguments(apiWithStart('tsx src/server.ts'))).toThrow(/start script/)
  })
})
