import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { runCommand } from './processes'

// Debian puts server daemons in sbin, which a non-root PATH usually lacks.
const SYSTEM_BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']

/** The first of `names` found as an executable on PATH or in the system bin directories. */
export function findExecutable(names: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_BIN_DIRS]
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {}
    }
  }
  return undefined
}

export function isRoot(): boolean {
  return process.getuid?.() === 0
}

export function aptInstallCommand(packages: string[]): string {
  return `sudo apt-get install -y ${packages.join(' ')}`
}

/**
 * Installs Debian packages when we may (root), otherwise stops with the exact command a person
 * has to run: a script that silently skipped the tool would only fail later and less clearly.
 */
export async function installSystemPackages(
  packages: string[],
  why: string,
  log: (line: string) => void,
  options: { asRoot?: boolean } = {},
): Promise<void> {
  if (!(options.asRoot ?? isRoot())) {
    throw new Error(`${why}. Install it with: ${aptInstallCommand(packages)}`)
  }
  if (!findExecutable(['apt-get'])) {
    throw new Error(
      `${why}, and this machine has no apt-get: install ${packages.join(' ')} with its package manager`,
    )
  }
  const list = packages.join(' ')
  log(`${why}: running apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${list}`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  try {
    await runCommand('apt-get', ['update'], { env })
  } catch (error) {
    // One unreachable mirror fails the update; the cached package lists may still have the package.
    log(`apt-get update failed, installing from the cached package lists: ${(error as Error).message}`)
  }
  await runCommand('apt-get', ['install', '-y', ...packages], { env })
}
