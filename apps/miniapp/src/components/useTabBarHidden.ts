import { useEffect } from 'react'
import { platform } from '@/services'

/** A bottom sheet covers the tab bar's place: hide the bar while it is open, as WeChat apps do. */
export function useTabBarHidden(hidden: boolean): void {
  useEffect(() => {
    if (!hidden) return
    platform.setTabBarVisible(false)
    return () => platform.setTabBarVisible(true)
  }, [hidden])
}
