import Type, { type Static, type TSchema } from 'typebox'
import { errorCodes } from '../errors'
import { miniappRoles } from '../roles'

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/** An instant, always UTC with a `Z` (SPEC §4). */
export const Instant = Type.String({ format: 'date-time', description: 'ISO 8601 instant in UTC' })

/** A calendar day in APP_TIMEZONE. */
export const LocalDate = Type.String({
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  description: 'YYYY-MM-DD, read in APP_TIMEZONE',
})

/** A wall-clock time in APP_TIMEZONE; `24:00` ends a slot at midnight. */
export const LocalTime = Type.String({
  pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$',
  description: 'HH:mm, read in APP_TIMEZONE',
})

/**
 * `null` first: with type coercion on (query strings), ajv would otherwise turn a `null` into the
 * first branch's zero value.
 */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([Type.Null(), schema])
}

export const MiniappRoleSchema = Type.Enum(miniappRoles)

export const ErrorCodeSchema = Type.Enum(errorCodes)

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: ErrorCodeSchema,
      message: Type.String(),
      requestId: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
    }),
  },
  { description: 'Every error answer has this shape' },
)
export type ErrorEnvelope = Static<typeof ErrorEnvelope>

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
}

export function Paged<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ minimum: 0 }),
    page: Type.Integer({ minimum: 1 }),
    pageSize: Type.Integer({ minimum: 1 }),
  })
}

export const IdParams = Type.Object({ id: Id })
export type IdParams = Static<typeof IdParams>

export const RemovedResult = Type.Object({ removed: Type.Literal(true) })
export type RemovedResult = Static<typeof RemovedResult>
