import mysql from 'mysql2'

/** One command a connection sent to the server and waited for: one round trip. */
export interface SentStatement {
  /** the driver's command: Query (text protocol), Execute / Prepare (binary protocol), … */
  kind: string
  sql: string
}

type AddCommand = (
  this: unknown,
  command: { constructor: { name: string } } & Record<string, unknown>,
) => unknown

/**
 * Records every command any mysql2 connection of this process sends while `work` runs: the
 * round trips a request costs, counted where they leave the driver (drizzle's queries and the
 * direct ones alike), so the count does not depend on the machine's load. The handshake of a new
 * connection is left out (the pool keeps its connections); everything else counts.
 */
export async function recordStatements(work: () => Promise<unknown>): Promise<SentStatement[]> {
  let owner: { addCommand: AddCommand } = mysql.Connection.prototype as never
  while (!Object.hasOwn(owner, 'addCommand')) owner = Object.getPrototypeOf(owner)
  const original = owner.addCommand
  const sent: SentStatement[] = []
  owner.addCommand = function (command) {
    const kind = command.constructor.name
    if (kind !== 'ClientHandshake' && !(kind === 'Prepare' && preparedAlready(this, command))) {
      const text =
        command.sql ?? command.query ?? (command.statement as { query?: string } | undefined)?.query
      sent.push({ kind, sql: typeof text === 'string' ? text.replace(/\s+/g, ' ').trim() : '' })
    }
    return original.call(this, command)
  }
  try {
    await work()
  } finally {
    owner.addCommand = original
  }
  return sent
}

/**
 * Whether the connection holds this statement prepared already: mysql2 then answers the Prepare
 * from its cache and sends nothing (a statement is prepared once per connection).
 */
function preparedAlready(connection: unknown, command: Record<string, unknown>): boolean {
  const { constructor: type, _statements: statements } = connection as {
    constructor: { statementKey?: (options: unknown) => string }
    _statements?: { get(key: string): unknown }
  }
  if (!type.statementKey || !statements) return false
  return statements.get(type.statementKey(command.options)) !== undefined
}

/**
 * A statement's first words, enough to tell the round trips apart in an assertion's message:
 * keywords in capitals and names unquoted, so drizzle's `insert into \`users\`` and a
 * hand-written `INSERT INTO users` read alike.
 */
export function verbOf(statement: SentStatement): string {
  return statement.sql
    .replaceAll('`', '')
    .split(' ')
    .slice(0, 3)
    .map((word) =>
      /^(select|insert|into|update|delete|from|begin|commit|rollback)$/i.test(word)
        ? word.toUpperCase()
        : word,
    )
    .join(' ')
}
