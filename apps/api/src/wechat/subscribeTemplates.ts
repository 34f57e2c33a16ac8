/**
 * The subscribe-message templates the product sends (SPEC §5 `WECHAT_TEMPLATES`,
 * `WECHAT_TEMPLATE_FIELDS`): which template each kind of message uses, and which booking field
 * fills which template key. A key's type is its name without the number (`thing1`, `time2`), as
 * WeChat names them, so the key alone says which rule its value must fit.
 */

export const SUBSCRIBE_KINDS = ['reminder', 'cancelled'] as const
export type SubscribeKind = (typeof SUBSCRIBE_KINDS)[number]

export const BOOKING_FIELDS = ['title', 'startsAt', 'endsAt', 'reason'] as const
export type BookingField = (typeof BOOKING_FIELDS)[number]

/** The template key types a booking field can be written into without breaking WeChat's rules. */
export const KEY_TYPES_FOR = {
  title: ['thing'],
  reason: ['thing'],
  startsAt: ['time', 'date', 'thing'],
  endsAt: ['time', 'date', 'thing'],
} as const satisfies Record<BookingField, readonly string[]>

export type TemplateKeyType = (typeof KEY_TYPES_FOR)[BookingField][number]

export interface TemplateField {
  /** the template's key, e.g. `thing1` */
  key: string
  type: TemplateKeyType
  field: BookingField
}

export type SubscribeTemplates = Partial<Record<SubscribeKind, string>>
export type TemplateFields = Record<SubscribeKind, TemplateField[]>

/** What a kind's template carries when WECHAT_TEMPLATE_FIELDS does not say. */
export const DEFAULT_TEMPLATE_FIELDS =
  'reminder:thing1=title;time2=startsAt,cancelled:thing1=title;time2=startsAt;thing3=reason'

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/
/** WeChat's key names: the value type, then a number. */
const TEMPLATE_KEY =
  /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase)[0-9]{1,3}$/
/** A reminder is about a booking that stands: it has no reason to show. */
const FIELDS_OF_KIND: Record<SubscribeKind, readonly BookingField[]> = {
  reminder: ['title', 'startsAt', 'endsAt'],
  cancelled: BOOKING_FIELDS,
}

/** A value of WECHAT_TEMPLATES or WECHAT_TEMPLATE_FIELDS that cannot be used; the message says why. */
export class TemplateConfigError extends Error {
  override name = 'TemplateConfigError'
}

function isKind(kind: string): kind is SubscribeKind {
  return (SUBSCRIBE_KINDS as readonly string[]).includes(kind)
}

/** Splits `kind:rest,kind:rest` into its entries, refusing unknown or repeated kinds. */
function entriesByKind(text: string): [SubscribeKind, string][] {
  const entries: [SubscribeKind, string][] = []
  for (const raw of text.split(',')) {
    const entry = raw.trim()
    if (entry === '') continue
    const separator = entry.indexOf(':')
    const kind = separator === -1 ? entry : entry.slice(0, separator).trim()
    if (!isKind(kind))
      throw new TemplateConfigError(`"${kind}" is not a kind (${SUBSCRIBE_KINDS.join(', ')})`)
    if (entries.some(([known]) => known === kind)) throw new TemplateConfigError(`${kind} is listed twice`)
    entries.push([kind, separator === -1 ? '' : entry.slice(separator + 1).trim()])
  }
  return entries
}

/** `reminder:<templateId>,cancelled:<templateId>`; a kind left out is not offered. */
export function parseSubscribeTemplates(text: string): SubscribeTemplates {
  const templates: SubscribeTemplates = {}
  for (const [kind, templateId] of entriesByKind(text)) {
    if (!TEMPLATE_ID.test(templateId)) {
      throw new TemplateConfigError(`${kind}'s template id must be 1-64 letters, digits, _ or -`)
    }
    templates[kind] = templateId
  }
  return templates
}

function parseFields(kind: SubscribeKind, text: string): TemplateField[] {
  const fields: TemplateField[] = []
  for (const raw of text.split(';')) {
    const pair = raw.trim()
    if (pair === '') continue
    const [key = '', field = '', ...rest] = pair.split('=').map((part) => part.trim())
    const type = TEMPLATE_KEY.exec(key)?.[1]
    if (rest.length > 0 || type === undefined) {
      throw new TemplateConfigError(
        `${kind}: "${pair}" is not <key>=<field> with a WeChat key such as thing1`,
      )
    }
    if (!(FIELDS_OF_KIND[kind] as readonly string[]).includes(field)) {
      throw new TemplateConfigError(`${kind}: "${field}" is not one of ${FIELDS_OF_KIND[kind].join(', ')}`)
    }
    const bookingField = field as BookingField
    if (!(KEY_TYPES_FOR[bookingField] as readonly string[]).includes(type)) {
      throw new TemplateConfigError(`${kind}: ${field} cannot fill a ${type} key (${key})`)
    }
    if (fields.some((known) => known.key === key))
      throw new TemplateConfigError(`${kind}: ${key} is listed twice`)
    fields.push({ key, type: type as TemplateKeyType, field: bookingField })
  }
  if (fields.length === 0) throw new TemplateConfigError(`${kind} maps no key`)
  return fields
}

/** `<kind>:<key>=<field>;…,…`; a kind not listed keeps its default mapping. */
export function parseTemplateFields(text: string | undefined): TemplateFields {
  const defaults = Object.fromEntries(
    entriesByKind(DEFAULT_TEMPLATE_FIELDS).map(([kind, fields]) => [kind, parseFields(kind, fields)]),
  ) as TemplateFields
  if (text === undefined) return defaults
  for (const [kind, fields] of entriesByKind(text)) defaults[kind] = parseFields(kind, fields)
  return defaults
}
