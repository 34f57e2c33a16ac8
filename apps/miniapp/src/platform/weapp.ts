import Taro from '@tarojs/taro'
import { taroFeedback, taroHttp, taroNavigation, taroStorage } from './taroCommon'
import type { Platform, PrivacySetting, SubscribeAnswer } from './types'

const API_BASE = process.env.TARO_APP_API_BASE ?? ''

/** WeChat itself: the build uploaded to the mini-program platform. */
export const weappPlatform: Platform = {
  async login() {
    const { code } = await Taro.login()
    if (!code) throw new Error('wx.login returned no code')
    return code
  },
  async appId() {
    // the running app's own AppID (SPEC §6b), not the build's: the same package may be uploaded
    // under another AppID, and a code is only good for the app that issued it
    return Taro.getAccountInfoSync().miniProgram.appId
  },
  storage: taroStorage,
  ...taroHttp(API_BASE),

  // WeChat runs open-type buttons itself and reports through the button's own events.
  openTypeTapped() {},
  // WeChat reviews the nickname itself and reports through the input's nicknamereview event
  nicknameBlurred() {},

  getPrivacySetting() {
    return new Promise<PrivacySetting>((resolve) => {
      if (typeof Taro.getPrivacySetting !== 'function') {
        // base libraries before 2.32.3 have no privacy check: nothing to agree to
        resolve({ needAuthorization: false, privacyContractName: '' })
        return
      }
      Taro.getPrivacySetting({
        success: (setting) =>
          resolve({
            needAuthorization: setting.needAuthorization,
            privacyContractName: setting.privacyContractName,
          }),
        fail: () => resolve({ needAuthorization: false, privacyContractName: '' }),
      })
    })
  },
  onNeedPrivacyAuthorization(listener) {
    if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
    Taro.onNeedPrivacyAuthorization((resolve) => listener((resolution) => resolve(resolution)))
  },
  openPrivacyContract() {
    return new Promise<void>((resolve, reject) => {
      Taro.openPrivacyContract({ success: () => resolve(), fail: (error) => reject(new Error(error.errMsg)) })
    })
  },

  async getSetting() {
    const { authSetting } = await Taro.getSetting()
    return authSetting as Record<string, boolean>
  },
  async authorize(scope) {
    try {
      await Taro.authorize({ scope: scope as keyof Taro.AuthSetting })
      return true
    } catch {
      return false
    }
  },
  async openSetting() {
    const { authSetting } = await Taro.openSetting()
    return authSetting as Record<string, boolean>
  },
  addPhoneCalendar(event) {
    // Taro passes this API through without a promise. The executor runs now, so the call stays
    // synchronous in the tap: WeChat accepts it from nowhere else (SPEC §6b).
    return new Promise((resolve, reject) => {
      Taro.addPhoneCalendar({
        title: event.title,
        startTime: event.startTime,
        // seconds, a number, as WeChat's documentation says; Taro's typing (a string) is wrong
        endTime: event.endTime as unknown as string,
        description: event.description,
        alarm: true,
        alarmOffset: 30 * 60,
        success: () => resolve('added'),
        fail: (error) => {
          if (/auth den/i.test(error.errMsg)) resolve('refused')
          else reject(new Error(error.errMsg))
        },
      })
    })
  },
  requestSubscribeMessage(templateIds) {
    // the executor runs now: the sheet is asked for inside the tap, as WeChat requires (SPEC §6b)
    return new Promise((resolve) => {
      Taro.requestSubscribeMessage({
        tmplIds: templateIds,
        entityIds: [],
        success: (result) => {
          const answers: Record<string, SubscribeAnswer> = {}
          for (const id of templateIds) {
            const answer = (result as Record<string, unknown>)[id]
            if (typeof answer === 'string') answers[id] = answer as SubscribeAnswer
          }
          resolve(answers)
        },
        // subscriptions turned off in the settings (20004), an unknown template (20001)…: none
        fail: () => resolve({}),
      })
    })
  },

  ...taroFeedback,
  ...taroNavigation,
}
