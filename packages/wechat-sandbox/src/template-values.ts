/**
 * The value rules of subscribe-message template keys, from WeChat's 订阅消息参数值内容限制说明
 * (https://developers.weixin.qq.com/miniprogram/dev/server/API/mp-message-management/subscribe-message/api_sendmessage.html).
 * A key's type is its name without the trailing number: `thing1`, `time2`, `character_string3`.
 */
export const TEMPLATE_VALUE_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const

export type TemplateValueType = (typeof TEMPLATE_VALUE_TYPES)[number]

/** A template key as WeChat names them: a type, then the key's number. */
export const TEMPLATE_KEY_PATTERN = `^(${TEMPLATE_VALUE_TYPES.join('|')})[0-9]{1,3}$`
const templateKey = new RegExp(TEMPLATE_KEY_PATTERN)

export function typeOfKey(key: string): TemplateValueType | null {
  const match = templateKey.exec(key)
  return match === null ? null : (match[1] as TemplateValueType)
}

// 符号 is "any common symbol other than Chinese, English letters and digits, no control characters":
// Unicode punctuation and symbols.
const SYMBOL = '\\p{P}\\p{S}'
const HAN = '\\p{Script=Han}'

/** y年m月d日, y年m月, m月d日, or joined by '-', '/' or '.' (2018-01-01, 2018/01/01, 2018-01, 01-01). */
const DATE = [
  '\\d{4}年\\d{1,2}月\\d{1,2}日',
  '\\d{4}年\\d{1,2}月',
  '\\d{1,2}月\\d{1,2}日',
  ...['-', '/', '\\.'].map((separator) => `\\d{4}${separator}\\d{1,2}${separator}\\d{1,2}`),
  '\\d{4}[-/.]\\d{1,2}',
  '\\d{1,2}[-/.]\\d{1,2}',
].join('|')
/** 24-hour HH:MM or HH:MM:SS. */
const CLOCK = '([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?'

const TIME_POINT = `((${DATE}) )?${CLOCK}`
const DATE_POINT = `(${DATE})( ${CLOCK})?`

/** A time or date may be a span: two points joined by '~'. */
function pointOrSpan(point: string): RegExp {
  return new RegExp(`^(${point})(~(${point}))?$`, 'u')
}

const RULES: Record<TemplateValueType, (value: string, length: number) => boolean> = {
  // 20个以内字符: Chinese, digits, letters or symbols; never a control character such as a newline.
  thing: (value, length) => length <= 20 && !/\p{Cc}/u.test(value),
  // 32位以内数字, may carry decimals.
  number: (value) => value.length <= 32 && /^\d+(\.\d+)?$/.test(value),
  letter: (value) => /^[A-Za-z]{1,32}$/.test(value),
  symbol: (value) => new RegExp(`^[${SYMBOL}]{1,5}$`, 'u').test(value),
  // 32位以内数字、字母或符号: no Chinese, no spaces.
  character_string: (value) => new RegExp(`^[A-Za-z0-9${SYMBOL}]{1,32}$`, 'u').test(value),
  time: (value) => pointOrSpan(TIME_POINT).test(value),
  date: (value) => pointOrSpan(DATE_POINT).test(value),
  // One currency symbol, up to 10 digits, optional decimals, optionally ending with 元.
  amount: (value) => /^\p{Sc}?\d{1,10}(\.\d+)?元?$/u.test(value),
  // 17位以内, digits and symbols: +86-0766-66888866.
  phone_number: (value) => new RegExp(`^[0-9${SYMBOL}]{1,17}$`, 'u').test(value),
  // 8位以内: the first and last may be Chinese, the rest letters or digits (粤A8Z888挂).
  car_number: (value, length) =>
    length <= 8 && new RegExp(`^[${HAN}A-Za-z0-9][A-Za-z0-9]*([${HAN}A-Za-z0-9])?$`, 'u').test(value),
  // 10 Chinese characters (letters mixed in count as a Chinese name), or 20 letters or symbols.
  name: (value, length) =>
    new RegExp(`${HAN}`, 'u').test(value)
      ? length <= 10 && new RegExp(`^[${HAN}A-Za-z·]+$`, 'u').test(value)
      : length <= 20 && new RegExp(`^[A-Za-z${SYMBOL} ]+$`, 'u').test(value),
  // 5个以内纯汉字.
  phrase: (value) => new RegExp(`^${HAN}{1,5}$`, 'u').test(value),
}

/** Whether a non-empty value fits its key's type. */
export function fitsType(type: TemplateValueType, value: string): boolean {
  return RULES[type](value, [...value].length)
}
