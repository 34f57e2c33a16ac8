import Taro from '@tarojs/taro'
import { toastIconFor } from './toastIcon'
import {
  type HttpRequest,
  type HttpResponse,
  type KeyValueStorage,
  type ModalOptions,
  NetworkError,
  type Platform,
  type ToastIcon,
  type UploadRequest,
} from './types'

/** The parts of the platform where Taro already behaves the same in WeChat and in the browser. */

export const taroStorage: KeyValueStorage = {
  get<T>(key: string): T | null {
    try {
      const value = Taro.getStorageSync(key)
      return value === '' || value === undefined ? null : (value as T)
    } catch {
      return null
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value)
  },
  remove(key) {
    Taro.removeStorageSync(key)
  },
}

function failureMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'errMsg' in error) return String(error.errMsg)
  return error instanceof Error ? error.message : String(error)
}

const REQUEST_TIMEOUT_MS = 15_000

export function taroHttp(base: string): Pick<Platform, 'request' | 'upload'> {
  return {
    async request({ method, path, body, headers }: HttpRequest): Promise<HttpResponse> {
      try {
        const answer = await Taro.request({
          url: `${base}${path}`,
          method,
          data: body as TaroGeneral.IAnyObject | undefined,
          header: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          dataType: 'json',
          timeout: REQUEST_TIMEOUT_MS,
        })
        return { status: answer.statusCode, body: answer.data ?? null }
      } catch (error) {
        throw new NetworkError(failureMessage(error))
      }
    },
    async upload({ path, filePath, field, headers }: UploadRequest): Promise<HttpResponse> {
      let answer: Taro.uploadFile.SuccessCallbackResult
      try {
        answer = await Taro.uploadFile({
          url: `${base}${path}`,
          filePath,
          name: field,
          header: headers,
          timeout: REQUEST_TIMEOUT_MS,
        })
      } catch (error) {
        throw new NetworkError(failureMessage(error))
      }
      let parsed: unknown = null
      try {
        parsed = answer.data ? JSON.parse(answer.data) : null
      } catch {
        // a proxy's HTML error page: the status still tells what happened
      }
      return { status: answer.statusCode, body: parsed }
    },
  }
}

export const taroFeedback: Pick<
  Platform,
  'showToast' | 'showModal' | 'showLoading' | 'hideLoading' | 'setTabBarVisible' | 'stopPullDownRefresh'
> = {
  showToast(title: string, icon: ToastIcon = 'none') {
    void Taro.showToast({ title, icon: toastIconFor(title, icon), duration: 2200 })
  },
  async showModal({ title, content, confirmText, cancelText, showCancel = true }: ModalOptions) {
    const answer = await Taro.showModal({
      title,
      content,
      showCancel,
      confirmText: confirmText ?? '确定',
      cancelText: cancelText ?? '取消',
      confirmColor: '#07c160',
    })
    return answer.confirm
  },
  showLoading(title: string) {
    void Taro.showLoading({ title, mask: true })
  },
  hideLoading() {
    void Taro.hideLoading()
  },
  setTabBarVisible(visible: boolean) {
    // fails on pages without a tab bar, where there is nothing to hide
    const change = visible ? Taro.showTabBar({ animation: false }) : Taro.hideTabBar({ animation: false })
    Promise.resolve(change).catch(() => {})
  },
  stopPullDownRefresh() {
    // nothing to stop when the page was not refreshing
    Promise.resolve(Taro.stopPullDownRefresh()).catch(() => {})
  },
}

export const taroNavigation: Pick<Platform, 'currentRoute' | 'reLaunch' | 'navigateTo' | 'switchTab'> = {
  currentRoute() {
    const pages = Taro.getCurrentPages()
    const route = pages[pages.length - 1]?.route
    return route ? route.replace(/^\//, '').split('?')[0]! : null
  },
  async reLaunch(url) {
    await Taro.reLaunch({ url })
  },
  async navigateTo(url) {
    await Taro.navigateTo({ url })
  },
  async switchTab(url) {
    await Taro.switchTab({ url })
  },
}
