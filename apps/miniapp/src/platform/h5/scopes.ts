import Taro from '@tarojs/taro'
import { showSheet } from './domSheet'

/** WeChat's per-scope answers, simulated in localStorage. */
const SETTINGS_KEY = 'yuyue.sandbox.authSetting'

const SCOPE_NAMES: Record<string, string> = {
  'scope.addPhoneCalendar': '添加到日历',
}

function scopeName(scope: string): string {
  return SCOPE_NAMES[scope] ?? scope
}

export function readAuthSetting(): Record<string, boolean> {
  try {
    return JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}') as Record<string, boolean>
  } catch {
    return {}
  }
}

function writeAuthSetting(setting: Record<string, boolean>) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(setting))
}

export async function authorizeScope(scope: string): Promise<boolean> {
  const setting = readAuthSetting()
  // once refused, WeChat fails authorize at once without asking again
  if (setting[scope] !== undefined) return setting[scope]
  const answer = await Taro.showModal({
    title: '“预约”申请',
    content: `获取你的${scopeName(scope)}权限`,
    confirmText: '允许',
    cancelText: '拒绝',
    confirmColor: '#07c160',
  })
  writeAuthSetting({ ...setting, [scope]: answer.confirm })
  return answer.confirm
}

/** The settings page: one switch per scope the person has answered. */
export async function openSettingsPage(): Promise<Record<string, boolean>> {
  const setting = readAuthSetting()
  const scopes = Object.keys(setting)
  const toggled = await showSheet<string>({
    title: '设置（沙箱）',
    note: '允许“预约”使用',
    options: scopes.map((scope) => ({
      label: `${scopeName(scope)}：${setting[scope] ? '已允许' : '未允许'}`,
      hint: setting[scope] ? '点击关闭' : '点击允许',
      value: scope,
    })),
    cancelLabel: '返回',
  })
  if (toggled) writeAuthSetting({ ...setting, [toggled]: !setting[toggled] })
  return readAuthSetting()
}
