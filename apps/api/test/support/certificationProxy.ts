import { connect, createServer, type Server, type Socket } from 'node:net'

const COM_QUERY = 0x03
const COM_STMT_PREPARE = 0x16
const COM_STMT_EXECUTE = 0x17
const DEADLOCK = 1213

/** MySQL packets (3-byte length, sequence id, payload) cut from a stream, the rest kept for later. */
class PacketReader {
  private buffer = Buffer.alloc(0)

  push(chunk: Buffer): { header: Buffer; payload: Buffer; raw: Buffer }[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const packets = []
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUIntLE(0, 3)
      if (this.buffer.length < 4 + length) break
      const raw = this.buffer.subarray(0, 4 + length)
      packets.push({ header: raw.subarray(0, 4), payload: raw.subarray(4), raw })
      this.buffer = this.buffer.subarray(4 + length)
    }
    return packets
  }
}

function packet(sequence: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(4)
  header.writeUIntLE(payload.length, 0, 3)
  header[3] = sequence
  return Buffer.concat([header, payload])
}

/** The ERR packet MariaDB sends for a deadlock, and for a Galera certification failure at COMMIT. */
function deadlockError(sequence: number): Buffer {
  const code = Buffer.alloc(2)
  code.writeUInt16LE(DEADLOCK)
  const message = 'Deadlock found when trying to get lock; try restarting transaction'
  return packet(sequence, Buffer.concat([Buffer.from([0xff]), code, Buffer.from(`#40001${message}`)]))
}

/**
 * A TCP relay in front of the single MariaDB that plays a Galera node losing certification: the
 * first `failures` COMMITs of transactions that wrote to `table` are rolled back on the server and
 * answered with errno 1213, which is what a multi-primary node answers when another node's
 * conflicting write certified first. The driver and the server are real; only the verdict of a
 * certification that cannot happen on one server is the proxy's.
 */
export class CertificationProxy {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  port = 0
  /** COMMITs answered 1213 so far */
  failed = 0

  constructor(
    private readonly target: { host: string; port: number },
    private readonly table: string,
    private failures: number,
  ) {}

  async start(): Promise<number> {
    const writes = new RegExp(
      `^\\s*(insert\\s+(ignore\\s+)?into|update|delete\\s+from)\\s+\`?${this.table}\`?\\s`,
      'i',
    )
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      const fromClient = new PacketReader()
      const fromServer = new PacketReader()
      let wroteTable = false
      let replaceReply = false
      // server-prepared writes to the table: the ids the server gave them, and one being prepared
      const writerStatements = new Set<number>()
      let preparingWriter = false
      client.on('data', (chunk: Buffer) => {
        for (const { header, payload, raw } of fromClient.push(chunk)) {
          const command = header[3] === 0 ? payload[0] : undefined
          const query = command === COM_QUERY ? payload.subarray(1).toString('utf8') : null
          if (query !== null && writes.test(query)) wroteTable = true
          if (command === COM_STMT_PREPARE && writes.test(payload.subarray(1).toString('utf8')))
            preparingWriter = true
          if (command === COM_STMT_EXECUTE && writerStatements.has(payload.readUInt32LE(1))) wroteTable = true
          const ends = query !== null && /^\s*(commit|rollback)\s*$/i.test(query)
          if (ends && /commit/i.test(query!) && wroteTable && this.failures > 0) {
            this.failures--
            this.failed++
            replaceReply = true
            upstream.write(packet(0, Buffer.from([COM_QUERY, ...Buffer.from('rollback')])))
          } else {
            upstream.write(raw)
          }
          if (ends) wroteTable = false
        }
      })
      upstream.on('data', (chunk: Buffer) => {
        for (const { header, payload, raw } of fromServer.push(chunk)) {
          if (replaceReply) {
            replaceReply = false
            client.write(deadlockError(header[3]!))
            continue
          }
          // COM_STMT_PREPARE_OK: 0x00, then the statement's id
          if (preparingWriter && header[3] === 1) {
            if (payload[0] === 0x00) writerStatements.add(payload.readUInt32LE(1))
            preparingWriter = false
          }
          client.write(raw)
        }
      })
      client.on('end', () => upstream.end())
      upstream.on('end', () => client.end())
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    this.server = server
    this.port = (server.address() as { port: number }).port
    return this.port
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = null
    for (const socket of this.sockets) socket.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
