import { currentOpenid, switchIdentity } from './devIdentity'
import { showSheet } from './domSheet'

/**
 * A small "沙箱" badge for developers: shows which sandbox WeChat user this browser is, and
 * switches to a new one. Switching is a new phone: storage (token, privacy answer, scopes) goes too.
 */
const BADGE_ID = 'yuyue-sandbox-badge'
// The app's sheets and popups (`.sheet-mask`) live inside Taro's page, whose wrappers form their
// own stacking context: no z-index on the badge puts it under them, and it covered the privacy
// popup's 不同意. So it steps aside while any sheet is open, the sandbox's own ones included.
const HIDE_UNDER_SHEETS = `body:has(.sheet-mask, .yy-sheet-mask) #${BADGE_ID}{display:none}`

export function mountDevPanel(): void {
  if (document.getElementById(BADGE_ID)) return
  const style = document.createElement('style')
  style.textContent = HIDE_UNDER_SHEETS
  document.head.appendChild(style)
  const badge = document.createElement('button')
  badge.id = BADGE_ID
  badge.type = 'button'
  badge.textContent = '沙箱'
  badge.setAttribute('aria-label', '沙箱身份')
  Object.assign(badge.style, {
    position: 'fixed',
    left: '6px',
    bottom: 'calc(62px + env(safe-area-inset-bottom))',
    zIndex: '900',
    border: '0',
    borderRadius: '10px',
    padding: '2px 8px',
    fontSize: '11px',
    color: '#fff',
    background: 'rgba(0,0,0,.35)',
  })
  badge.addEventListener('click', async () => {
    const choice = await showSheet<{ openid: string | null }>({
      title: '沙箱微信身份',
      note: `当前 openid：${currentOpenid() ?? '（尚未登录）'}`,
      options: [{ label: '换一个新用户', hint: '清空本机数据，以新的 openid 登录', value: { openid: null } }],
      input: {
        placeholder: '以指定 openid 登录',
        pattern: /^[\w-]{1,128}$/,
        submitLabel: '切换',
        toValue: (text) => ({ openid: text }),
      },
    })
    if (!choice) return
    localStorage.clear()
    switchIdentity(choice.openid)
    location.reload()
  })
  document.body.appendChild(badge)
}
