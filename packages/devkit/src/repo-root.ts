import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

/** The monorepo's root: the nearest directory above this file that holds pnpm-workspace.yaml. */
export function repoRoot(): string {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) {
      cached = dir
      return dir
    }
    const parent = dirname(dir)
    if (parent === dir)
      throw new Error('no pnpm-workspace.yaml above packages/devkit: is this the Yuyue monorepo?')
    dir = parent
  }
}
