import { fillPlaceholders } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchPeopleStatement } from '../src/db/queries/peopleSearch'
import { directorySearchStatement } from '../src/db/queries/staffDirectory'
import { phoneInQuery } from '../src/domain/search/phoneInQuery'
import { searchFor } from '../src/domain/users/adminUsers'
import { type Harness, resetDatabase, startHarness } from './support/harness'

/**
 * The plans of the searches' statements, read with EXPLAIN over enough rows that the optimizer
 * chooses as it would on a real venue's tables: a step that reads a whole table fails the test.
 */
let h: Harness
const PEOPLE = 4000

async function query(text: string, values: unknown[] = []) {
  const [rows] = await h.app.dbHandle.pool.query(text, values)
  return rows as unknown as Record<string, unknown>[]
}

/** The pieces of the names just stored, as the migration's back-fill writes them. */
const BIGRAMS = (kind: string, table: string, column: string) => `
  INSERT IGNORE INTO name_bigrams (kind, bigram, owner_id)
  SELECT '${kind}', LOWER(SUBSTRING(t.${column}, n.i, 2)), t.id FROM ${table} t
  JOIN (WITH RECURSIVE seq (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 63) SELECT i FROM seq) n
    ON n.i < CHAR_LENGTH(t.${column})
  WHERE t.${column} IS NOT NULL`

// 1…PEOPLE, from two of 0…99 (MariaDB stops a recursion at 1 000 rounds)
const SEQUENCE = `WITH RECURSIVE d (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 99),
  seq (i) AS (SELECT a.i * 100 + b.i + 1 FROM d a CROSS JOIN d b WHERE a.i * 100 + b.i < ${PEOPLE})`

beforeAll(async () => {
  h = await startHarness()
  await resetDatabase(h.app)
  await query(`INSERT INTO users (nickname, country_code, mobile, role, is_deleted)
    ${SEQUENCE} SELECT CONCAT(ELT(1 + i % 5, '张', '李', 'Wang', '赵', 'Liu'), '的', i, '号'), '86',
      CONCAT('139', LPAD(i * 7919 % 100000000, 8, '0')), IF(i % 10 = 0, 'staff', 'user'), i % 20 = 0 FROM seq`)
  await query(`INSERT INTO wechat_identities (app_id, openid, user_id)
    ${SEQUENCE} SELECT 'wx-app', CONCAT('o', LPAD(i, 27, 'x')), i FROM seq`)
  await query(`INSERT INTO staff_directory (country_code, mobile, name)
    ${SEQUENCE} SELECT '86', CONCAT('137', LPAD(i * 104729 % 100000000, 8, '0')), CONCAT('员工', i, '号') FROM seq`)
  await query(BIGRAMS('user', 'users', 'nickname'))
  await query(BIGRAMS('staff', 'staff_directory', 'name'))
  await query('ANALYZE TABLE users, wechat_identities, staff_directory, name_bigrams')
})
afterAll(() => h.close())

async function fullScans(statement: { sql: string; params: unknown[]; values: Record<string, unknown> }) {
  const plan = await query(`EXPLAIN ${statement.sql}`, fillPlaceholders(statement.params, statement.values))
  expect(plan.length).toBeGreaterThan(0)
  // ALL reads the table whole, index reads one of its indexes whole: both grow with the table
  return plan.filter(
    (step) => (step.type === 'ALL' || step.type === 'index') && !String(step.table).startsWith('<'),
  )
}

// a whole number, its start, its tail (手机尾号), a nickname's start, any part, a long part, an openid
const QUERIES = [
  '13900079190',
  '1390007',
  '7919',
  '张',
  '的12',
  '1234号',
  'wang的3',
  'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
]

describe('the searches read no table whole', () => {
  it('holds enough rows for the optimizer to choose as on a real venue', async () => {
    const [counted] = await query('SELECT COUNT(*) AS n FROM name_bigrams')
    expect(Number(counted!.n)).toBeGreaterThan(PEOPLE * 8)
  })

  it.each(QUERIES)('people: %s, with every filter', async (q) => {
    for (const filters of [{}, { isDeleted: false }, { role: 'staff' as const, isDeleted: true }]) {
      const statement = searchPeopleStatement(h.app.db, searchFor(q, filters), { limit: 20, offset: 0 })
      expect(await fullScans(statement), `${q} ${JSON.stringify(filters)}`).toEqual([])
    }
  })

  it.each(QUERIES)('staff directory: %s', async (q) => {
    const statement = directorySearchStatement(
      h.app.db,
      { name: q, phone: phoneInQuery(q, 1) },
      { limit: 20, offset: 0 },
    )
    expect(await fullScans(statement), q).toEqual([])
  })

  it('finds a long part by its rarest piece, the other pieces looked up by primary key', async () => {
    const statement = searchPeopleStatement(h.app.db, searchFor('wang的3', {}), { limit: 20, offset: 0 })
    const plan = await query(`EXPLAIN ${statement.sql}`, fillPlaceholders(statement.params, statement.values))
    const pieces = plan.filter((step) => /^(b\d+|name_bigrams)$/.test(String(step.table)))
    // one range read for the first piece; a GROUP BY over every piece's range sorts them all
    expect(pieces.filter((step) => step.type !== 'eq_ref')).toHaveLength(1)
    expect(pieces.filter((step) => /temporary|filesort/.test(String(step.Extra)))).toEqual([])
    expect(pieces).toHaveLength(5)
  })

  it('would see a full scan: the check is not empty', async () => {
    const plan = await query("EXPLAIN SELECT id FROM users WHERE nickname LIKE '%的12%'")
    expect(plan.some((step) => step.type === 'ALL' || step.type === 'index')).toBe(true)
  })
})
