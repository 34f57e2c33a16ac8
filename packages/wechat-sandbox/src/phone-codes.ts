import type { SandboxClock } from './clock'
import { SandboxInputError } from './input-error'
import { CODE_LIFETIME_MS, sweepExpiredCodes } from './login-codes'
import { randomPhoneCode } from './random'
import { fail, succeed, type WechatOutcome } from './wechat-errors'

/** Digits only: the sandbox hands out what WeChat would, already normalised by WeChat. */
export const NATIONAL_NUMBER_PATTERN = '^[0-9]{4,20}$'
export const COUNTRY_CODE_PATTERN = '^[1-9][0-9]{0,3}$'

export interface PhoneCodeRequest {
  appId: string
  /** The national number, e.g. `13800138000`. */
  phoneNumber: string
  /** Defaults to `"86"`. */
  countryCode?: string
  /** When set, the code is only accepted for this openid (if the caller sends one). */
  openid?: string
  /** Real WeChat has been seen sending `countryCode` as a number; this reproduces it. */
  countryCodeAsNumber?: boolean
  /** Lets a client test that it checks `watermark.appid`. */
  watermarkAppId?: string
}

/** `POST /__sandbox/phone-codes`: one code per number, for load generation. */
export interface PhoneCodesRequest {
  appId: string
  phones: Omit<PhoneCodeRequest, 'appId'>[]
}

export interface IssuedPhoneCode {
  code: string
}

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string | number
  watermark: { timestamp: number; appid: string }
}

export interface PhoneNumberBody {
  errcode: 0
  errmsg: 'ok'
  phone_info: PhoneInfo
}

interface PhoneCode {
  appId: string
  phoneNumber: string
  countryCode: string
  openid: string | null
  countryCodeAsNumber: boolean
  watermarkAppId: string | null
  issuedAt: number
  used: boolean
}

export class PhoneCodes {
  private readonly codes = new Map<string, PhoneCode>()
  private lastSweep = 0

  constructor(private readonly clock: SandboxClock) {}

  issue(request: PhoneCodeRequest): IssuedPhoneCode {
    const [issued] = this.issueMany(request.appId, [request])
    return issued!
  }

  /** One code per request, in order; the whole batch is checked before any code is issued. */
  issueMany(appId: string, requests: readonly Omit<PhoneCodeRequest, 'appId'>[]): IssuedPhoneCode[] {
    const nationalNumber = new RegExp(NATIONAL_NUMBER_PATTERN)
    const countryCode = new RegExp(COUNTRY_CODE_PATTERN)
    for (const request of requests) {
      if (!nationalNumber.test(request.phoneNumber)) {
        throw new SandboxInputError('phoneNumber must be the national number, 4 to 20 digits')
      }
      if (request.countryCode !== undefined && !countryCode.test(request.countryCode)) {
        throw new SandboxInputError('countryCode must be 1 to 4 digits without "+", e.g. "86"')
      }
    }
    const now = this.clock.now()
    this.sweep(now)
    return requests.map((request) => {
      const code = randomPhoneCode()
      this.codes.set(code, {
        appId,
        phoneNumber: request.phoneNumber,
        countryCode: request.countryCode ?? '86',
        openid: request.openid ?? null,
        countryCodeAsNumber: request.countryCodeAsNumber ?? false,
        watermarkAppId: request.watermarkAppId ?? null,
        issuedAt: now,
        used: false,
      })
      return { code }
    })
  }

  /** `appId` is the app of the access token the caller presented. */
  redeem(appId: string, code: string, openid: string | undefined): WechatOutcome<PhoneNumberBody> {
    const now = this.clock.now()
    const issued = this.codes.get(code)
    if (issued === undefined || issued.appId !== appId || now - issued.issuedAt > CODE_LIFETIME_MS) {
      return fail(40029)
    }
    if (issued.used) return fail(40163)
    // A refused openid leaves the code usable: the rightful user may still redeem it.
    if (openid !== undefined && issued.openid !== null && issued.openid !== openid) {
      return fail(40029, 'invalid code, the code does not belong to this openid')
    }
    issued.used = true
    const { phoneNumber, countryCode } = issued
    return succeed({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: countryCode === '86' ? phoneNumber : `+${countryCode}${phoneNumber}`,
        purePhoneNumber: phoneNumber,
        countryCode: issued.countryCodeAsNumber ? Number(countryCode) : countryCode,
        watermark: { timestamp: Math.floor(now / 1000), appid: issued.watermarkAppId ?? appId },
      },
    })
  }

  clear(): void {
    this.codes.clear()
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return
    this.lastSweep = now
    sweepExpiredCodes(this.codes, now)
  }
}
