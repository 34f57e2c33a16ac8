const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

export interface MysqlTarget {
  host: string
  port: number
  user: string
  password: string | undefined
  database: string | undefined
  socketPath: string | undefined
}

/** `mysql://user:password@host:port/database?socketPath=/run/mysqld/mysqld.sock` */
export function parseDatabaseUrl(url: string): MysqlTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`not a database URL: ${redactUrl(url)}`)
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`database URLs start with mysql://, got ${redactUrl(url)}`)
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  return {
    host: hostOf(parsed),
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username) || 'root',
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: database || undefined,
    socketPath: parsed.searchParams.get('socketPath') ?? undefined,
  }
}

export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host)
}

/** The same server under another database name; tests and benchmarks must never reach a remote server. */
export function databaseUrlFor(serverUrl: string, database: string): string {
  const parsed = new URL(serverUrl)
  const host = hostOf(parsed)
  if (!isLocalHost(host)) {
    throw new Error(
      `refusing database host ${host}: test and benchmark databases live on 127.0.0.1, localhost or ::1`,
    )
  }
  assertDatabaseName(database)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Database names reach SQL as identifiers, so they are restricted to what needs no escaping. */
export function assertDatabaseName(name: string): void {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) {
    throw new Error(`database name ${JSON.stringify(name)} must be 1-64 letters, digits or underscores`)
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@')
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}
