/**
 * Whether an error means the database or Redis cannot be used right now (down, restarting, a
 * Galera node out of the cluster, a Redis replica after a failover), as opposed to a bug. Those
 * answer 503 SERVICE_UNAVAILABLE with Retry-After (SPEC §8): the client retries and the instance
 * recovers by itself once its pools reconnect.
 */
export function isDependencyFailure(error: unknown): boolean {
  let current: unknown = error
  // drizzle wraps driver errors in its own; the driver's sits on `cause`
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    if (describesFailure(current as DriverError)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

interface DriverError {
  name?: unknown
  code?: unknown
  errno?: unknown
  fatal?: unknown
  message?: unknown
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  // a statement queued on a connection that was closed first (its session setup failed: db/client.ts)
  'ERR_STREAM_WRITE_AFTER_END',
])

const MYSQL_UNAVAILABLE_ERRNOS = new Set([
  1040, // too many connections
  1047, // Galera: "WSREP has not yet prepared node for application use" (node not Synced)
  1053, // server shutdown in progress
  1205, // lock wait timeout: a node that left the cluster holds the row
  1213, // deadlock or Galera certification failure, still failing after our retries
  1927, // connection killed
  2006, // server has gone away
  2013, // lost connection during query
  4031, // disconnected by the server
])

// ioredis: the connection is down, or (after a failover) the address now points at a replica
const REDIS_UNAVAILABLE =
  /^(Connection is closed|Stream isn't writeable|READONLY|LOADING|MASTERDOWN|All sentinels are unreachable|Reached the max retries per request limit)/

function describesFailure(error: DriverError): boolean {
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true
  // mysql2 marks errors that end the connection as fatal
  if (error.fatal === true) return true
  if (typeof error.errno === 'number' && MYSQL_UNAVAILABLE_ERRNOS.has(error.errno)) return true
  if (error.name === 'MaxRetriesPerRequestError') return true
  return typeof error.message === 'string' && REDIS_UNAVAILABLE.test(error.message)
}

/** Seconds a client should wait before retrying: about how long a writer failover takes. */
export const RETRY_AFTER_SECONDS = 3
