import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  BINDING_PREFIX,
  hasPhone,
  mobileOf,
  nicknameOf,
  openidOf,
  randomBookers,
  STAFF_PREFIX,
} from '../src/people'

describe('the seeded population', () => {
  it('gives 200 000 people distinct mainland numbers, none in the ranges binding and import hand out', () => {
    const seen = new Set<string>()
    for (let n = 1; n <= 200_000; n++) {
      const mobile = mobileOf(n)
      assert.equal(mobile !== null, hasPhone(n))
      if (!mobile) continue
      assert.match(mobile, /^1[3-9]\d{9}$/)
      assert.ok(!mobile.startsWith(BINDING_PREFIX) && !mobile.startsWith(STAFF_PREFIX), mobile)
      assert.ok(!seen.has(mobile), `${mobile} given twice`)
      seen.add(mobile)
    }
    assert.equal(seen.size, 180_000)
  })

  it('shapes openids like WeChat’s and derives every trait from the number alone', () => {
    assert.match(openidOf(1), /^o[\w-]{27}$/)
    assert.match(openidOf(1_000_000), /^o[\w-]{27}$/)
    assert.equal(nicknameOf(12_345), nicknameOf(12_345))
    assert.equal(nicknameOf(4), null)
    assert.ok([...(nicknameOf(1) ?? '')].length <= 32)
  })

  it('picks distinct bookers who have a phone and are not staff candidates', () => {
    const bookers = randomBookers(10_000, 5_000)
    assert.equal(new Set(bookers).size, 5_000)
    for (const n of bookers) {
      assert.ok(mobileOf(n))
      assert.notEqual(n % 100, 50)
    }
    assert.throws(() => randomBookers(100, 95), /can book/)
  })
})
