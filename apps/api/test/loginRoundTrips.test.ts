import type { AuthResult } from '@yuyue/contracts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { newPersonRow, userById } from '../src/db/queries/people'
import { bearer, login, sendWxLogin } from './support/actors'
import { APP_ID, type Harness, resetDatabase, SECOND_APP_ID, startHarness } from './support/harness'
import { recordStatements, type SentStatement, verbOf } from './support/statements'

let h: Harness

beforeAll(async () => {
  h = await startHarness({ apps: [APP_ID, SECOND_APP_ID] })
})
beforeEach(async () => {
  await resetDatabase(h.app)
  h.sandbox.reset()
  // a first login opens the pool's connection, so the counts below hold no handshake
  await login(h, { openid: 'o-warm-up' })
  await h.app.domain.loginBookkeeping.flush()
})
afterAll(() => h.close())

/** The statements one login sends before its answer, and those its bookkeeping sends after. */
async function roundTrips(identity: Parameters<typeof login>[1]) {
  const answer = await recordStatements(() => login(h, identity))
  const behind = await recordStatements(() => h.app.domain.loginBookkeeping.flush())

  return { answer: answer.map(verbOf), behind: behind.map(verbOf) }
}

const describeSent = (list: SentStatement[]) => list.map(verbOf)

// Counts, not times: they do not move with the machine's load, and a new statement on the login
// path shows up here as a failed count. Before issue 24 a first login sent six before its answer
// (the read, BEGIN, the two inserts, COMMIT, the person read back) and an UPDATE behind it.
describe('the database round trips of a silent login', () => {
  it("a new person's first login: one read, then the person and the identity, one insert each", async () => {
    const { answer, behind } = await roundTrips({ openid: 'o-newcomer' })
    expect(answer).toHaveLength(3)
    expect(answer[0]).toMatch(/^SELECT/)
    expect(answer.slice(1)).toEqual(['INSERT INTO users', 'INSERT INTO wechat_identities'])
    // what the inserts wrote (session_key, login times) leaves nothing to write behind the answer
    expect(behind).toEqual([])
  })

  it("a returning person's login: one read; the new session_key is written behind the answer", async () => {
    await login(h, { openid: 'o-back' })
    await h.app.domain.loginBookkeeping.flush()
    const { answer, behind } = await roundTrips({ openid: 'o-back' })
    expect(answer).toHaveLength(1)
    expect(answer[0]).toMatch(/^SELECT/)
    expect(behind).toHaveLength(1)
    expect(behind[0]).toMatch(/^UPDATE/)
  })

  it('a first login in a second mini-program with a known unionid: two reads and the identity', async () => {
    await login(h, { appId: APP_ID, openid: 'o-first-app', unionid: 'u-known' })
    await h.app.domain.loginBookkeeping.flush()
    const { answer } = await roundTrips({ appId: SECOND_APP_ID, openid: 'o-second-app', unionid: 'u-known' })
    expect(answer).toHaveLength(3)
    expect(answer.at(-1)).toBe('INSERT INTO wechat_identities')
  })

  it('answers the new person exactly as stored, though nothing is read back', async () => {
    const { code } = h.sandbox.issueLoginCode({ appId: APP_ID, openid: 'o-fresh', unionid: 'u-fresh' })
    const answered = await sendWxLogin(h.app, { code, appId: APP_ID })
    expect(answered.statusCode).toBe(200)
    const { token, user } = answered.json<AuthResult>()
    const stored = await userById(h.app.dbHandle.db, user.id)
    expect(stored).toEqual(newPersonRow(user.id, 'u-fresh', stored!.createdAt))
    expect(stored!.lastLoginAt).toEqual(stored!.createdAt)
    const me = await h.app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) })
    expect(me.json<{ user: unknown }>().user).toEqual(user)
  })

  it('counts what the driver sends (the recorder is not blind)', async () => {
    const sent = await recordStatements(() => h.app.dbHandle.pool.query('SELECT 1'))
    expect(describeSent(sent)).toEqual(['SELECT 1'])
  })

  it('counts a statement prepared on its first use only, as the server sees it', async () => {
    const connection = await h.app.dbHandle.pool.getConnection()
    try {
      const once = await recordStatements(() => connection.execute('SELECT 2 + ?', [1]))
      const again = await recordStatements(() => connection.execute('SELECT 2 + ?', [1]))
      expect(once.map((sent) => sent.kind)).toEqual(['Prepare', 'Execute'])
      expect(again.map((sent) => sent.kind)).toEqual(['Execute'])
    } finally {
      connection.release()
    }
  })
})
