import { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { platform, privacyGate, session, venueClock } from '@/services'
import { launchApp } from '@/session/launch'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    void launchApp({ session, privacyGate, platform, venueClock })
  })
  // children are the pages
  return children
}

export default App
