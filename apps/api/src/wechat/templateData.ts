import type { BookingField, TemplateField } from './subscribeTemplates'

/** What a subscribe message can say about a booking. */
export interface BookingFacts {
  title: string
  startsAt: Date
  endsAt: Date
  /** why an admin cancelled it; only the `cancelled` kind has one */
  reason?: string | null
}

export type TemplateData = Record<string, { value: string }>

/** WeChat's `thing` holds at most 20 characters (订阅消息参数值内容限制说明). */
const THING_MAX = 20

const wallClocks = new Map<string, Intl.DateTimeFormat>()

function wallClock(instant: Date, timeZone: string) {
  let format = wallClocks.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    })
    wallClocks.set(timeZone, format)
  }
  const parts: Record<string, string> = {}
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>
}

/** `2026年12月7日`: the form WeChat's `date` takes, in the app's zone. */
export function templateDate(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone)
  return `${year}年${month}月${day}日`
}

/** `2026年12月7日 15:00`: the form WeChat's `time` documents, in the app's zone. */
export function templateTime(instant: Date, timeZone: string): string {
  const { hour, minute } = wallClock(instant, timeZone)
  return `${templateDate(instant, timeZone)} ${hour}:${minute}`
}

/**
 * Text for a `thing`: one line (WeChat refuses control characters), never empty, at most 20
 * characters, a cut marked with an ellipsis. Characters are code points, as WeChat counts them.
 */
export function templateThing(text: string): string {
  const line = text.replace(/[\p{Cc}\s]+/gu, ' ').trim()
  const characters = Array.from(line === '' ? '无' : line)
  return characters.length <= THING_MAX
    ? characters.join('')
    : `${characters.slice(0, THING_MAX - 1).join('')}…`
}

function instantOf(booking: BookingFacts, field: BookingField): Date | null {
  if (field === 'startsAt') return booking.startsAt
  if (field === 'endsAt') return booking.endsAt
  return null
}

/**
 * A booking's facts written into a template's keys so that every value fits its key's type
 * (`WECHAT_TEMPLATE_FIELDS` only pairs fields with types they can fit). A `date` key gets the day
 * alone: WeChat's community reports `date` values with a time refused despite the documentation.
 */
export function fitTemplateData(
  fields: TemplateField[],
  booking: BookingFacts,
  timeZone: string,
): TemplateData {
  const data: TemplateData = {}
  for (const { key, type, field } of fields) {
    const instant = instantOf(booking, field)
    let value: string
    if (instant === null) value = templateThing((field === 'title' ? booking.title : booking.reason) ?? '')
    else if (type === 'date') value = templateDate(instant, timeZone)
    else if (type === 'time') value = templateTime(instant, timeZone)
    else value = templateThing(templateTime(instant, timeZone))
    data[key] = { value }
  }
  return data
}
