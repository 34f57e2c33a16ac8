import { BULK_CODES_MAX } from '../bulk'
import { WECHAT_ENDPOINTS } from '../endpoints'
import { MAX_FAULT_DELAY_MS } from '../faults'
import { COUNTRY_CODE_PATTERN, NATIONAL_NUMBER_PATTERN } from '../phone-codes'

const appId = { type: 'string', minLength: 1 } as const
const identifier = { type: 'string', minLength: 1, maxLength: 128 } as const
const problem = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
} as const
const acknowledged = { type: 'object', properties: { ok: { type: 'boolean' } } } as const
const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const

function objectOf(properties: Record<string, object>, required: string[]) {
  return { type: 'object', additionalProperties: false, required, properties } as const
}

const issuedLoginCode = objectOf(
  { code: { type: 'string' }, openid: { type: 'string' }, unionid: { type: ['string', 'null'] } },
  ['code', 'openid', 'unionid'],
)
const issuedPhoneCode = objectOf({ code: { type: 'string' } }, ['code'])
const loginIdentity = { openid: identifier, unionid: identifier }
const phoneRequest = {
  phoneNumber: { type: 'string', pattern: NATIONAL_NUMBER_PATTERN },
  countryCode: { type: 'string', pattern: COUNTRY_CODE_PATTERN },
  openid: identifier,
  countryCodeAsNumber: { type: 'boolean' },
  watermarkAppId: identifier,
} as const

function batchOf(items: object) {
  return { type: 'array', minItems: 1, maxItems: BULK_CODES_MAX, items } as const
}

export const loginCodeSchema = {
  body: objectOf({ appId, ...loginIdentity }, ['appId']),
  response: { 200: issuedLoginCode, 400: problem },
}

export const phoneCodeSchema = {
  body: objectOf({ appId, ...phoneRequest }, ['appId', 'phoneNumber']),
  response: { 200: issuedPhoneCode, 400: problem },
}

export const loginCodesSchema = {
  body: objectOf({ appId, identities: batchOf(objectOf(loginIdentity, [])) }, ['appId', 'identities']),
  response: { 200: objectOf({ codes: { type: 'array', items: issuedLoginCode } }, ['codes']), 400: problem },
}

export const phoneCodesSchema = {
  body: objectOf({ appId, phones: batchOf(objectOf(phoneRequest, ['phoneNumber'])) }, ['appId', 'phones']),
  response: { 200: objectOf({ codes: { type: 'array', items: issuedPhoneCode } }, ['codes']), 400: problem },
}

export const faultSchema = {
  body: objectOf(
    {
      path: { type: 'string', enum: [...WECHAT_ENDPOINTS] },
      errcode: { type: 'integer' },
      httpStatus: { type: 'integer', minimum: 400, maximum: 599 },
      delayMs: { type: 'integer', minimum: 0, maximum: MAX_FAULT_DELAY_MS },
      times: { type: 'integer', minimum: 1 },
    },
    ['path'],
  ),
  response: { 200: objectOf({ id: { type: 'string' } }, ['id']), 400: problem },
}

export const clockSchema = {
  body: objectOf({ advanceMs: { type: 'integer', minimum: 0 } }, ['advanceMs']),
  response: { 200: objectOf({ now: { type: 'integer' } }, ['now']), 400: problem },
}

export const revokeTokensSchema = {
  body: objectOf({ appId }, ['appId']),
  response: { 200: objectOf({ revoked: { type: 'integer' } }, ['revoked']), 400: problem },
}

export const statsSchema = {
  response: {
    200: {
      type: 'object',
      properties: {
        calls: counts,
        outcomes: { type: 'object', additionalProperties: counts },
      },
    },
  },
}

export const healthSchema = {
  response: {
    200: {
      type: 'object',
      properties: { status: { type: 'string' }, apps: { type: 'array', items: { type: 'string' } } },
    },
  },
}

export const acknowledgedSchema = { response: { 200: acknowledged } }
