export const WECHAT_ENDPOINTS = [
  '/sns/jscode2session',
  '/cgi-bin/stable_token',
  '/cgi-bin/token',
  '/wxa/business/getuserphonenumber',
  '/cgi-bin/message/subscribe/send',
] as const

export type WechatEndpoint = (typeof WECHAT_ENDPOINTS)[number]

export function isWechatEndpoint(path: string): path is WechatEndpoint {
  return (WECHAT_ENDPOINTS as readonly string[]).includes(path)
}
