export { createSandboxApp, type SandboxOptions } from './app'
export { type AppCredentials, DEMO_APP, parseAppList } from './apps'
export { BULK_CODES_MAX } from './bulk'
export { WECHAT_ENDPOINTS, type WechatEndpoint } from './endpoints'
export type { Fault, FaultRequest } from './faults'
export { SandboxInputError } from './input-error'
export type { Code2SessionBody, IssuedLoginCode, LoginCodeRequest, LoginCodesRequest } from './login-codes'
export type {
  IssuedPhoneCode,
  PhoneCodeRequest,
  PhoneCodesRequest,
  PhoneInfo,
  PhoneNumberBody,
} from './phone-codes'
export { type RunningSandbox, type StartSandboxOptions, startSandbox } from './start'
export { parseTemplateList, type StartupTemplate } from './startup-templates'
export { SandboxState } from './state'
export type { SandboxStats } from './stats'
export type {
  DeclaredTemplate,
  PagesRequest,
  SentMessage,
  SubscribeSendBody,
  SubscriptionRequest,
  SubscriptionsRequest,
  TemplateRequest,
  UnusedSubscription,
} from './subscribe-messages'
export { fitsType, TEMPLATE_VALUE_TYPES, type TemplateValueType, typeOfKey } from './template-values'
export type { WechatErrorBody } from './wechat-errors'
