/**
 * What makes a tappable element usable from a keyboard and a screen reader in the browser build:
 * Taro renders View and Button as custom elements with no role and no tab stop. WeChat ignores
 * these props (its own accessibility reads the text).
 */
export function pressable(onPress: () => void, name?: string) {
  return {
    role: 'button',
    tabIndex: 0,
    ...(name ? { 'aria-label': name } : {}),
    onKeyDown(event: { key?: string; preventDefault?: () => void }) {
      if (event.key !== 'Enter' && event.key !== ' ') return
      event.preventDefault?.()
      onPress()
    },
  }
}
