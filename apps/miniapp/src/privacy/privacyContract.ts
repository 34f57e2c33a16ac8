import { platform } from '@/services'

/** WeChat's page with the app's privacy guide (a browser tab in the H5 build). */
export function openPrivacyContract(): void {
  platform.openPrivacyContract().catch(() => platform.showToast('无法打开隐私保护指引'))
}
