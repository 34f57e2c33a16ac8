/**
 * The benchmark's population, derived from a person's number alone, so the seeder, the load
 * generators and the checks agree without keeping a list: person `n` (1-based) is user id `n`,
 * has openid `openidOf(n)`, and most have a phone and a nickname.
 */

/** 28 characters starting with `o`, like a real openid. */
export function openidOf(n: number): string {
  return `obench${String(n).padStart(22, '0')}`
}

/** People who first log in during a run (phone binding): never seeded, never clashing. */
export function newcomerOpenidOf(n: number): string {
  return `onewco${String(n).padStart(22, '0')}`
}

// Seeded numbers never use 170 and 171: phone binding hands out 170…, the staff import 171….
const SEEDED_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '173',
  '175',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
]
export const BINDING_PREFIX = '170'
export const STAFF_PREFIX = '171'

/** A well-mixed 32-bit hash of a person's number: the "random" traits are stable across runs. */
export function hash(n: number, salt = 0): number {
  let x = (n ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}

/** Nine people in ten have bound a phone. */
export function hasPhone(n: number): boolean {
  return n % 10 !== 9
}

/**
 * The national number of person `n` (null without a phone). The last eight digits are a bijection
 * of `n` (48271 is odd and not a multiple of 5, so it is invertible modulo 10^8): unique for
 * every person, whatever the prefix, and spread over the whole range like real numbers.
 */
export function mobileOf(n: number): string | null {
  if (!hasPhone(n)) return null
  const prefix = SEEDED_PREFIXES[hash(n, 1) % SEEDED_PREFIXES.length]!
  const rest = (n * 48271 + 12345) % 100_000_000
  return `${prefix}${String(rest).padStart(8, '0')}`
}

// Common surnames first and repeated, so their share looks like China's (王, 李, 张 ~7% each).
const SURNAMES = [
  ...'王李张刘陈王李张刘陈杨黄赵吴周王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗',
  ...'郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
]
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩然子轩梓涵一诺欣怡雨泽晨阳思远嘉怡佳琪俊杰博文雅婷晓东建国志强海燕春梅秋菊冬雪文静天佑书瑶',
]
const LATIN = [
  'Lucky',
  'Amy',
  'Tom',
  'Leo',
  'Coco',
  'Sunny',
  'Kevin',
  'Vivian',
  'Jack',
  'Mia',
  '小太阳',
  '追风少年',
]

/** Four people in five have set a nickname: mostly Chinese names, some Latin or playful ones. */
export function nicknameOf(n: number): string | null {
  if (n % 5 === 4) return null
  const h = hash(n, 2)
  if (h % 7 === 0) return `${LATIN[(h >>> 3) % LATIN.length]}${(h >>> 8) % 1000}`
  const surname = SURNAMES[(h >>> 3) % SURNAMES.length]!
  const first = GIVEN[(h >>> 9) % GIVEN.length]!
  const second = (h >>> 17) % 3 === 0 ? '' : GIVEN[(h >>> 19) % GIVEN.length]!
  return `${surname}${first}${second}`
}

/** A person picked at random among `population` (1-based). */
export function randomPerson(population: number): number {
  return 1 + Math.floor(Math.random() * population)
}

/** A random person among `population` who has a phone. */
export function randomPersonWithPhone(population: number): number {
  for (;;) {
    const n = randomPerson(population)
    if (hasPhone(n)) return n
  }
}

/** People the staff import finds already bound (1 in 100): kept out of the sessions that book. */
export function isStaffCandidate(n: number): boolean {
  return n % 100 === 50
}

/** `count` distinct people with a phone, who are not staff candidates, picked at random. */
export function randomBookers(population: number, count: number): number[] {
  const eligible = Math.floor(population * 0.9 * 0.99)
  if (count > eligible)
    throw new Error(`only about ${eligible} of ${population} people can book; ${count} asked`)
  const picked = new Set<number>()
  while (picked.size < count) {
    const n = randomPersonWithPhone(population)
    if (!isStaffCandidate(n)) picked.add(n)
  }
  return [...picked]
}
