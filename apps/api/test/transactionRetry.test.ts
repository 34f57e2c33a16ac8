import { sql } from 'drizzle-orm'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { adminToken, bearer, login, type Person, tapQuickLogin } from './support/actors'
import { CertificationProxy } from './support/certificationProxy'
import { shanghaiDate, testClock } from './support/clock'
import { databaseUrl, type Harness, resetDatabase, startHarness } from './support/harness'
import { waitForLockWait } from './support/lockWait'
import { recordStatements, verbOf } from './support/statements'
import { createSlotsOn, personWithPhone, shanghaiNoon } from './support/venue'

/**
 * A write path whose transaction the database aborts (errno 1213: an InnoDB deadlock, or a Galera
 * certification failure on multi-primary) runs it again whole: the client is answered once, with
 * success, and exactly one row stands for it.
 */

const clock = testClock()
const hours = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    start: `${String(from + i).padStart(2, '0')}:00`,
    end: `${String(from + i).padStart(2, '0')}:30`,
  }))

async function count(h: Harness, query: ReturnType<typeof sql>): Promise<number> {
  const [rows] = (await h.app.db.execute(query)) as unknown as [{ n: number }[]]
  return Number(rows[0]!.n)
}

function book(h: Harness, person: Person, slotId: number) {
  return h.app.inject({ method: 'POST', url: '/api/bookings', headers: person.auth(), payload: { slotId } })
}

describe('a booking caught in a real InnoDB deadlock', () => {
  let h: Harness
  let admin: string
  let other: mysql.Connection

  beforeAll(async () => {
    h = await startHarness({ now: clock.now })
    other = await mysql.createConnection({ uri: databaseUrl() })
  })
  beforeEach(async () => {
    clock.set(shanghaiNoon())
    await resetDatabase(h.app)
    admin = await adminToken(h.app)
  })
  afterAll(async () => {
    await other.end()
    await h.close()
  })

  it('is retried whole: answered 200 once, one booking row, the counter at 1', async () => {
    const person = await personWithPhone(h, '13600000001')
    const [slot, ...others] = await createSlotsOn(h, admin, shanghaiDate(clock.now(), 1), hours(8, 12))

    // The other transaction locks the person's row (which the booking's INSERT reads through its
    // foreign key) and is made the heavier one, so InnoDB picks the booking as the victim.
    await other.query('BEGIN')
    // one row a statement: a small table's IN list is scanned, which would lock the slot too
    for (const { id } of others)
      await other.query('UPDATE slots SET capacity = capacity + 1 WHERE id = ?', [id])
    await other.query('UPDATE users SET nickname = ? WHERE id = ?', ['锁', person.userId])

    let answer: Awaited<ReturnType<typeof book>> | undefined
    const sent = await recordStatements(async () => {
      const booking = book(h, person, slot!.id)
      // the booking holds the slot's row and waits for the person's row…
      await waitForLockWait(other, 'INSERT INTO bookings')
      // …while this asks for the slot's row: a cycle, the booking rolled back with 1213 (this
      // UPDATE can only return once the booking, which waited on us, let go of the row)
      await other.query('UPDATE slots SET booked = booked WHERE id = ?', [slot!.id])
      await other.query('ROLLBACK')
      answer = await booking
    })

    expect(answer!.statusCode, answer!.body).toBe(200)
    // executions only: the first attempt also prepared the INSERT on its connection
    const inserts = sent
      .filter((statement) => statement.kind !== 'Prepare')
      .map(verbOf)
      .filter((verb) => verb === 'INSERT INTO bookings')
    expect(inserts, 'the transaction ran twice').toHaveLength(2)
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM bookings`)).toBe(1)
    expect(await count(h, sql`SELECT booked AS n FROM slots WHERE id = ${slot!.id}`)).toBe(1)
    expect(answer!.json().booking.id).toBe(
      await count(h, sql`SELECT id AS n FROM bookings WHERE user_id = ${person.userId}`),
    )
  })
})

describe('a COMMIT refused as a Galera node refuses it when certification fails (errno 1213)', () => {
  const target = new URL(databaseUrl())
  const upstream = { host: target.hostname, port: Number(target.port || 3306) }
  let proxy: CertificationProxy
  let h: Harness
  let admin: string

  /** The API through a proxy that refuses the first `failures` COMMITs of transactions writing `table`. */
  async function through(table: string, failures: number) {
    proxy = new CertificationProxy(upstream, table, failures)
    await proxy.start()
    const proxied = new URL(target)
    proxied.host = `127.0.0.1:${proxy.port}`
    h = await startHarness({ now: clock.now, env: { DATABASE_URL: proxied.toString() } })
    clock.set(shanghaiNoon())
    await resetDatabase(h.app)
    admin = await adminToken(h.app)
  }

  afterAll(async () => {
    await h?.close()
    await proxy?.stop()
  })

  it('a booking: answered 200 once, one booking row, the counter at 1', async () => {
    await through('bookings', 2)
    const person = await personWithPhone(h, '13600000002')
    const [slot] = await createSlotsOn(h, admin, shanghaiDate(clock.now(), 1), hours(9, 1))
    const answer = await book(h, person, slot!.id)
    expect(answer.statusCode, answer.body).toBe(200)
    expect(proxy.failed).toBe(2)
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM bookings`)).toBe(1)
    expect(await count(h, sql`SELECT booked AS n FROM slots WHERE id = ${slot!.id}`)).toBe(1)
    await h.close()
    await proxy.stop()
  })

  it('a phone binding: answered 200 once, the number bound once', async () => {
    await through('phone_numbers', 2)
    const person = await login(h)
    const answer = await tapQuickLogin(h, person, '13600000003')
    expect(answer.statusCode, answer.body).toBe(200)
    expect(proxy.failed).toBe(2)
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM users WHERE mobile = '13600000003'`)).toBe(1)
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM phone_numbers WHERE mobile = '13600000003'`)).toBe(1)
    await h.close()
    await proxy.stop()
  })

  it('a staff import: answered 200 once with its counts, each entry stored once', async () => {
    await through('staff_directory', 2)
    const rows = Array.from({ length: 30 }, (_, i) => ({
      mobile: `1390000${String(i).padStart(4, '0')}`,
      name: '员工',
    }))
    const answer = await h.app.inject({
      method: 'POST',
      url: '/api/admin/staff/import',
      headers: bearer(admin),
      payload: { rows },
    })
    expect(answer.statusCode, answer.body).toBe(200)
    expect(proxy.failed).toBe(2)
    expect(answer.json()).toMatchObject({ inserted: 30, updated: 0, unchanged: 0 })
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM staff_directory`)).toBe(30)
    expect(await count(h, sql`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'staff.import'`)).toBe(1)
  })
})
