import { QueryClientProvider } from '@tanstack/react-query'
import { ConfigProvider } from 'antd'
// the ES module locales: `antd/locale/*` is CommonJS and drags antd's CommonJS build along
import enUS from 'antd/es/locale/en_US'
import zhCN from 'antd/es/locale/zh_CN'
import dayjs from 'dayjs'
// registers Chinese with the dayjs antd's pickers use (one copy: the catalog pins antd's range)
import 'dayjs/locale/zh-cn'
import type { ReactNode } from 'react'
import { useState } from 'react'
import { I18nProvider, type Language, useI18n } from './i18n'
import { createQueryClient } from './queryClient'

// month and weekday names and the first day of the week in antd's pickers come from dayjs
const dayjsLocales = { zh: 'zh-cn', en: 'en' } as const

function AntdLocale({ children }: { children: ReactNode }) {
  const { lang } = useI18n()
  // during render, not in an effect: the pickers below must see it on their first render; it
  // is idempotent, and dates made with dayjs() follow the language too
  dayjs.locale(dayjsLocales[lang])
  return (
    <ConfigProvider
      locale={lang === 'zh' ? zhCN : enUS}
      // antd spaces out two-character Chinese labels (登 录); our labels are written as meant
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#1677ff' } }}
    >
      {children}
    </ConfigProvider>
  )
}

/**
 * Everything a page needs around it: server state, words and antd's locale. antd's `App` (the
 * message and modal context) is added by the logged-in layout, so the login page does not load it.
 */
export function Providers({ children, language }: { children: ReactNode; language?: Language }) {
  const [queryClient] = useState(createQueryClient)
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider initial={language}>
        <AntdLocale>{children}</AntdLocale>
      </I18nProvider>
    </QueryClientProvider>
  )
}
