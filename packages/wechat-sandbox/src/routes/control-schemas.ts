import { BULK_CODES_MAX } from '../bulk'
import { WECHAT_ENDPOINTS } from '../endpoints'
import { MAX_FAULT_DELAY_MS } from '../faults'
import { COUNTRY_CODE_PATTERN, NATIONAL_NUMBER_PATTERN } from '../phone-codes'
import { TEMPLATE_ID_PATTERN, TEMPLATE_KEYS_MAX, TEMPLATES_PER_REQUEST_MAX } from '../subscribe-messages'
import { TEMPLATE_KEY_PATTERN, TEMPLATE_VALUE_TYPES } from '../template-values'

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

const templateId = { type: 'string', pattern: TEMPLATE_ID_PATTERN } as const
const unusedSubscriptions = objectOf(
  {
    subscriptions: {
      type: 'array',
      items: objectOf({ templateId: { type: 'string' }, unused: { type: 'integer' } }, [
        'templateId',
        'unused',
      ]),
    },
  },
  ['subscriptions'],
)

export const templateSchema = {
  body: objectOf(
    {
      appId,
      templateId,
      keys: {
        type: 'array',
        minItems: 1,
        maxItems: TEMPLATE_KEYS_MAX,
        uniqueItems: true,
        items: { type: 'string', pattern: TEMPLATE_KEY_PATTERN },
      },
    },
    ['appId', 'keys'],
  ),
  response: {
    200: objectOf(
      {
        templateId: { type: 'string' },
        keys: {
          type: 'array',
          items: objectOf(
            { key: { type: 'string' }, type: { type: 'string', enum: [...TEMPLATE_VALUE_TYPES] } },
            ['key', 'type'],
          ),
        },
      },
      ['templateId', 'keys'],
    ),
    400: problem,
  },
}

export const pagesSchema = {
  body: objectOf(
    {
      appId,
      pages: { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 256 } },
    },
    ['appId', 'pages'],
  ),
  response: {
    200: objectOf({ pages: { type: 'array', items: { type: 'string' } } }, ['pages']),
    400: problem,
  },
}

const grant = {
  openid: identifier,
  templateIds: { type: 'array', minItems: 1, maxItems: TEMPLATES_PER_REQUEST_MAX, items: templateId },
} as const

export const grantSubscriptionsSchema = {
  body: objectOf({ appId, ...grant }, ['appId', 'openid', 'templateIds']),
  response: { 200: unusedSubscriptions, 400: problem },
}

export const grantSubscriptionsInBulkSchema = {
  body: objectOf({ appId, grants: batchOf(objectOf(grant, ['openid', 'templateIds'])) }, ['appId', 'grants']),
  response: { 200: objectOf({ granted: { type: 'integer' } }, ['granted']), 400: problem },
}

export const unusedSubscriptionsSchema = {
  querystring: objectOf({ appId, openid: identifier }, ['appId', 'openid']),
  response: { 200: unusedSubscriptions, 400: problem },
}

const sentMessage = objectOf(
  {
    appId: { type: 'string' },
    touser: { type: 'string' },
    templateId: { type: 'string' },
    page: { type: ['string', 'null'] },
    data: {
      type: 'object',
      additionalProperties: objectOf({ value: { type: 'string' } }, ['value']),
    },
    miniprogramState: { type: 'string' },
    lang: { type: 'string' },
    sentAt: { type: 'string' },
  },
  ['appId', 'touser', 'templateId', 'page', 'data', 'miniprogramState', 'lang', 'sentAt'],
)

export const messagesSchema = {
  querystring: objectOf({ touser: identifier }, []),
  response: {
    200: objectOf({ messages: { type: 'array', items: sentMessage } }, ['messages']),
    400: problem,
  },
}

export const acknowledgedSchema = { response: { 200: acknowledged } }
