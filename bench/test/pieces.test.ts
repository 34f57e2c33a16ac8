import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { bigramsOf, queryBigrams } from '../../apps/api/src/db/queries/nameBigrams'
import { namePiecesOf, nicknameOf, queryPiecesOf } from '../src/people'

describe('the seeded name pieces', () => {
  it('are the pieces the API stores and looks up, for every seeded nickname', () => {
    for (let n = 1; n <= 20_000; n++) {
      const nickname = nicknameOf(n)
      if (!nickname) continue
      assert.deepEqual(namePiecesOf(nickname), bigramsOf(nickname), nickname)
      assert.deepEqual(queryPiecesOf(nickname), queryBigrams(nickname), nickname)
    }
  })

  it('lower-case, skip repeats and count an emoji as one character, as the API does', () => {
    for (const text of ['LuckyLucky7', 'a😀b', '王小明王小明', 'ABCDEFGHIJKLMNOP']) {
      assert.deepEqual(namePiecesOf(text), bigramsOf(text), text)
      assert.deepEqual(queryPiecesOf(text), queryBigrams(text), text)
    }
  })
})
