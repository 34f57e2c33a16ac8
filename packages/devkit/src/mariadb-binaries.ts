import { spawnSync } from 'node:child_process'
import { findExecutable, installSystemPackages } from './system-packages'

export interface MariadbBinaries {
  server: string
  /** mariadb-install-db / mysql_install_db; Oracle MySQL initialises through the server instead. */
  installDb: string | undefined
  flavour: 'mariadb' | 'mysql'
  /** Options of the install tool this version knows (older ones lack some). */
  installDbOptions: Set<string>
}

/** The server binaries of this machine, installed first when we are root and they are missing. */
export async function requireMariadbBinaries(log: (line: string) => void): Promise<MariadbBinaries> {
  const found = findMariadbBinaries()
  if (found) return found
  await installSystemPackages(
    ['mariadb-server'],
    'No MariaDB server binaries (mariadbd or mysqld) on this machine',
    log,
  )
  const installed = findMariadbBinaries()
  if (!installed) throw new Error('mariadb-server is installed but neither mariadbd nor mysqld can be found')
  return installed
}

export function findMariadbBinaries(): MariadbBinaries | undefined {
  // Older MariaDB packages (Debian 10, Ubuntu 20.04) ship only the mysqld / mysql_install_db names.
  const server = findExecutable(['mariadbd', 'mysqld'])
  if (!server) return undefined
  const version = spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout ?? ''
  const flavour = /mariadb/i.test(version) ? 'mariadb' : 'mysql'
  const installDb =
    flavour === 'mariadb' ? findExecutable(['mariadb-install-db', 'mysql_install_db']) : undefined
  if (flavour === 'mariadb' && !installDb) return undefined
  return { server, installDb, flavour, installDbOptions: installDb ? optionsOf(installDb) : new Set() }
}

function optionsOf(command: string): Set<string> {
  const help = spawnSync(command, ['--help'], { encoding: 'utf8' })
  return new Set(`${help.stdout}${help.stderr}`.match(/--[a-z][a-z-]+/g) ?? [])
}
