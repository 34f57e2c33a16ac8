import type { Platform } from '@/platform/types'

export interface ScopeRequest {
  scope: `scope.${string}`
  /** what the scope is for, shown when the person must turn it on in settings */
  purpose: string
}

export type ScopeOutcome = 'granted' | 'refused'

/**
 * getSetting → authorize → after a refusal, a modal that leads to openSetting (SPEC §7). Once a
 * scope was refused WeChat fails authorize without asking, so only the settings page can turn it
 * back on; a person who refuses right now is not nagged straight away.
 */
export async function ensureScope(
  platform: Pick<Platform, 'getSetting' | 'authorize' | 'showModal' | 'openSetting'>,
  { scope, purpose }: ScopeRequest,
): Promise<ScopeOutcome> {
  const setting = await platform.getSetting()
  if (setting[scope] === true) return 'granted'
  if (setting[scope] === undefined) return (await platform.authorize(scope)) ? 'granted' : 'refused'

  const goToSettings = await platform.showModal({
    title: '需要你的授权',
    content: `${purpose}需要你在设置中允许相应权限`,
    confirmText: '去设置',
    cancelText: '暂不',
  })
  if (!goToSettings) return 'refused'
  const after = await platform.openSetting()
  return after[scope] === true ? 'granted' : 'refused'
}
