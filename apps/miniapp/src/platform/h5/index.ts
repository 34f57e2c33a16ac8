import Taro from '@tarojs/taro'
import { taroFeedback, taroHttp, taroNavigation, taroStorage } from '../taroCommon'
import type { OpenType, OpenTypeHandlers, Platform } from '../types'
import { downloadCalendarEvent } from './calendar'
import { currentOpenid, sandboxAppId, sandboxLoginCode } from './devIdentity'
import { mountDevPanel } from './devPanel'
import { pickPhoneNumber } from './phoneSheet'
import { privacySetting, recordAgreement, requirePrivacy, setPrivacyListener } from './privacy'
import { grantSubscriptions } from './sandboxControl'
import { authorizeScope, openSettingsPage, readAuthSetting } from './scopes'

const PRIVACY_CONTRACT_URL = '/privacy.html'

async function simulateOpenTypeTap(openTypes: readonly OpenType[], handlers: OpenTypeHandlers) {
  const agreesInTheSameTap = openTypes.includes('agreePrivacyAuthorization')
  if (agreesInTheSameTap) {
    recordAgreement()
    handlers.onAgreePrivacyAuthorization?.()
  }
  if (openTypes.includes('getPhoneNumber')) {
    if (!(await requirePrivacy())) {
      handlers.onGetPhoneNumber?.({ errMsg: 'getPhoneNumber:fail privacy permission is not authorized' })
      return
    }
    handlers.onGetPhoneNumber?.(await pickPhoneNumber())
  }
  if (openTypes.includes('chooseAvatar')) {
    if (!(await requirePrivacy())) return
    try {
      const chosen = await Taro.chooseImage({ count: 1, sizeType: ['compressed'] })
      const avatarUrl = chosen.tempFilePaths[0]
      if (avatarUrl) handlers.onChooseAvatar?.({ avatarUrl })
    } catch {
      // cancelled: WeChat fires nothing either
    }
  }
}

/** The browser build: WeChat replaced by the sandbox, everything else as in WeChat. */
export const h5Platform: Platform = {
  login() {
    mountDevPanel()
    return sandboxLoginCode()
  },
  appId: sandboxAppId,
  storage: taroStorage,
  // same origin: the dev server or the static server forwards /api to the API
  ...taroHttp(''),

  openTypeTapped(openTypes, handlers) {
    void simulateOpenTypeTap(openTypes, handlers)
  },
  // the sandbox's review passes every nickname, a moment after blur as WeChat's does
  nicknameBlurred(review) {
    setTimeout(() => review(true), 0)
  },

  async getPrivacySetting() {
    return privacySetting()
  },
  onNeedPrivacyAuthorization: setPrivacyListener,
  async openPrivacyContract() {
    window.open(PRIVACY_CONTRACT_URL, '_blank', 'noopener')
  },

  async getSetting() {
    return readAuthSetting()
  },
  async authorize(scope) {
    if (!(await requirePrivacy())) return false
    return authorizeScope(scope)
  },
  openSetting: openSettingsPage,
  async addPhoneCalendar(event) {
    if (!(await requirePrivacy()) || !(await authorizeScope('scope.addPhoneCalendar'))) return 'refused'
    downloadCalendarEvent(event)
    return 'added'
  },

  /**
   * WeChat's sheet, played by a modal: 允许 records one accept per template at the sandbox (what
   * WeChat's server keeps), so the API's sends find them; 拒绝 answers reject.
   */
  async requestSubscribeMessage(templateIds) {
    const allowed = await taroFeedback.showModal({
      title: '订阅消息',
      content: '允许发送预约提醒和取消通知？每次允许可收到一条。',
      confirmText: '允许',
      cancelText: '拒绝',
    })
    const openid = currentOpenid()
    if (!allowed || !openid) return Object.fromEntries(templateIds.map((id) => [id, 'reject' as const]))
    try {
      await grantSubscriptions({ appId: await sandboxAppId(), openid, templateIds })
    } catch {
      return {}
    }
    return Object.fromEntries(templateIds.map((id) => [id, 'accept' as const]))
  },

  ...taroFeedback,
  ...taroNavigation,
}
