import { setTimeout as sleep } from 'node:timers/promises'
import { DEMO_APP } from '@yuyue/wechat-sandbox'
import mysql from 'mysql2/promise'
import { apiUrlOf, sandboxUrlOf, startApiInstance, waitApiInstance } from '../cluster/cluster'
import { currentWriter } from '../cluster/haproxy'
import { type ClusterState, databaseUrlOf } from '../cluster/state'
import { DEMO_ADMIN } from '../demoData'
import { stopProcess } from '../processes'
import { post } from './http'

/** The fields of the API's answers this check reads. */
interface Answer {
  token?: string
  code?: string
  user?: { id: number }
  items?: { id: number }[]
  error?: { code: string }
}

/** rows of the large write-set: seconds of applying on a 2-core machine */
const LAG_ROWS = 1_000_000

/**
 * Read-your-writes across a writer switch. When HAProxy moves the writes to another Galera node,
 * that node may not have applied the last commits yet (a node applies what others certified
 * asynchronously), and an instance's new connections land there: a phone bound a moment ago
 * would read as unbound (403 PHONE_REQUIRED on the booking after it), a person disabled a moment
 * ago as enabled. The API's new connections must read everything committed before they connected.
 *
 * Made repeatable: one large write-set keeps the next node's applier busy for a while; a person
 * binds a phone through the writer; an instance's connections to that node are killed (what
 * HAProxy's `shutdown-sessions` does on a switch) and the person books through it at once.
 * Runs after the workload: the instance is left on that node.
 */
export async function readAfterSwitch(state: ClusterState, log: (line: string) => void) {
  const writer = await currentWriter(state)
  if (writer === undefined) throw new Error('HAProxy names no database writer')
  const next = (writer + 1) % state.ports.nodes.length
  const nodeUrl = (i: number) => databaseUrlOf(state, state.ports.nodes[i]!.mysql)
  const instance = state.ports.apis.length - 1
  const entry = state.processes.find((p) => p.name === `api${instance + 1}`)
  if (entry) await stopProcess(entry.pid, 20_000)
  await startApiInstance(state, instance, nodeUrl(next))
  await waitApiInstance(state, instance)
  const lagging = `http://127.0.0.1:${state.ports.apis[instance]}`
  const api = apiUrlOf(state)
  const sandbox = sandboxUrlOf(state)

  const onWriter = await mysql.createConnection(nodeUrl(writer))
  const onNext = await mysql.createConnection(nodeUrl(next))
  // the premise: HAProxy writes to the node taken as the writer here
  const viaProxy = await mysql.createConnection(databaseUrlOf(state))
  const nameOf = async (c: mysql.Connection) =>
    String(((await c.query('SELECT @@wsrep_node_name AS n'))[0] as { n: string }[])[0]?.n)
  const [proxied, named] = [await nameOf(viaProxy), await nameOf(onWriter)]
  await viaProxy.end()
  if (proxied !== named) throw new Error(`HAProxy writes to ${proxied}, not ${named}`)
  try {
    await onWriter.query(
      'CREATE TABLE IF NOT EXISTS drill_apply_lag (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB',
    )
    await onWriter.query(`INSERT IGNORE INTO drill_apply_lag SELECT seq, 0 FROM seq_1_to_${LAG_ROWS}`)

    const admin = await post<Answer>(api, '/api/admin/auth/login', DEMO_ADMIN)
    const day = new Date(Date.now() + 8 * 3600_000 + 4 * 86_400_000).toISOString().slice(0, 10)
    const slot = await post<Answer>(
      api,
      '/api/admin/slots',
      {
        from: day,
        to: day,
        times: [{ start: '08:00', end: '09:00' }],
        capacity: 10,
        title: 'read after switch',
      },
      admin.body.token,
    )
    const slotId = Number(slot.body.items?.[0]?.id)
    if (!Number.isInteger(slotId))
      throw new Error(`the slot was not created: ${slot.status} ${JSON.stringify(slot.body)}`)
    const openid = `switch-${Date.now()}`
    const code = await post<Answer>(sandbox, '/__sandbox/login-code', { appId: DEMO_APP.appId, openid })
    const login = await post<Answer>(api, '/api/auth/wx-login', {
      code: code.body.code,
      appId: DEMO_APP.appId,
    })
    const userId = Number(login.body.user?.id)
    // the person and the slot on the next node before the large write: only the binding lags
    for (let waited = 0; ; waited += 100) {
      const [rows] = await onNext.query(
        'SELECT (SELECT COUNT(*) FROM users WHERE id = ?) + (SELECT COUNT(*) FROM slots WHERE id = ?) AS n',
        [userId, slotId],
      )
      if (Number((rows as { n: number }[])[0]?.n) === 2) break
      if (waited > 30_000) throw new Error('the next node did not apply the login within 30 s')
      await sleep(100)
    }

    const lastRow = async () =>
      Number(
        (
          (await onNext.query('SELECT v FROM drill_apply_lag WHERE id = ?', [LAG_ROWS]))[0] as { v: number }[]
        )[0]?.v,
      )
    const before = await lastRow()
    await onWriter.query('UPDATE drill_apply_lag SET v = v + 1')
    const phone = await post<Answer>(sandbox, '/__sandbox/phone-code', {
      appId: DEMO_APP.appId,
      openid,
      phoneNumber: `166${String(Date.now()).slice(-8)}`,
    })
    const bound = await post<Answer>(api, '/api/auth/phone', { code: phone.body.code }, login.body.token)
    // the switch: the instance's connections to the next node are cut, as HAProxy cuts them
    const [threads] = await onNext.query(
      'SELECT id FROM information_schema.PROCESSLIST WHERE user = ? AND id <> CONNECTION_ID()',
      [state.database.user],
    )
    for (const { id } of threads as { id: number }[]) await onNext.query(`KILL CONNECTION ${Number(id)}`)
    const stillApplying = (await lastRow()) === before
    await sleep(100)
    const started = Date.now()
    const booked = await post<Answer>(lagging, '/api/bookings', { slotId }, bound.body.token)
    const bookingMs = Date.now() - started
    for (let waited = 0; waited < 60_000 && (await lastRow()) === before; waited += 50) await sleep(50)
    const result = {
      bindingStatus: bound.status,
      bookingStatus: booked.status,
      bookingCode: booked.status === 200 ? undefined : booked.body.error?.code,
      /** whether the node was still applying when the booking was sent: else nothing was tested */
      nodeWasBehind: stillApplying,
      bookingMs,
      /** when the node had applied the large write-set, counted from the booking's sending */
      appliedAfterMs: Date.now() - started,
    }
    log(`read after a writer switch: ${JSON.stringify(result)}`)
    return result
  } finally {
    await onWriter.end()
    await onNext.end()
  }
}
