import Taro from '@tarojs/taro'
import { taroFeedback, taroHttp, taroNavigation, taroStorage } from './taroCommon'
import type { Platform, PrivacySetting } from './types'

const API_BASE = process.env.TARO_APP_API_BASE ?? ''

/** WeChat itself: the build uploaded to the mini-program platform. */
export const weappPlatform: Platform = {
  async login() {
    const { code } = await Taro.login()
    if (!code) throw new Error('wx.login returned no code')
    return code
  },
  async appId() {
    // the API knows which app a code came from when it serves several
    return process.env.TARO_APP_ID || undefined
  },
  storage: taroStorage,
  ...taroHttp(API_BASE),

  // WeChat runs open-type buttons itself and reports through the button's own events.
  openTypeTapped() {},

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
  async addPhoneCalendar(event) {
    await Taro.addPhoneCalendar({
      title: event.title,
      startTime: event.startTime,
      endTime: String(event.endTime),
      description: event.description,
      alarm: true,
      alarmOffset: 30 * 60,
    })
  },

  ...taroFeedback,
  ...taroNavigation,
}
