import { errorCatalog } from '@yuyue/contracts'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { ApiError } from '../../lib/request'
import { en } from './en'
import { type Dictionary, zh } from './zh'

export type Language = 'zh' | 'en'
const dictionaries: Record<Language, Dictionary> = { zh, en }
const KEY = 'yuyue.admin.language'

interface I18n {
  lang: Language
  t: Dictionary
  setLang(lang: Language): void
  /** what to tell the admin about a failed request */
  describeError(error: unknown): string
}

const I18nContext = createContext<I18n | null>(null)

function storedLanguage(): Language {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh'
  } catch {
    return 'zh'
  }
}

function describeApiError(error: ApiError, lang: Language): string {
  const generic = dictionaries[lang].errors[error.code]
  if (lang !== 'zh' || !(error.code in errorCatalog)) return generic
  // the API's Chinese message is worth showing when it is more specific than the catalog's
  // default (e.g. which slot overlaps which); otherwise our wording says what to do next
  const specific = error.message !== errorCatalog[error.code as keyof typeof errorCatalog].message
  return specific ? error.message : generic
}

export function describeError(error: unknown, lang: Language): string {
  const t = dictionaries[lang]
  if (!(error instanceof ApiError)) return t.errors.INTERNAL
  const said = describeApiError(error, lang)
  // a failure on the server's side: the request id lets the operator find it in the API's log
  if (error.status < 500 || !error.requestId) return said
  return lang === 'zh'
    ? `${said}（${t.requestId(error.requestId)}）`
    : `${said} (${t.requestId(error.requestId)})`
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [lang, setLangState] = useState<Language>(() => initial ?? storedLanguage())
  const setLang = useCallback((next: Language) => {
    setLangState(next)
    try {
      localStorage.setItem(KEY, next)
    } catch {
      // the choice just will not survive a reload
    }
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
    document.title = dictionaries[lang].appName
  }, [lang])
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: dictionaries[lang],
      setLang,
      describeError: (error) => describeError(error, lang),
    }),
    [lang, setLang],
  )
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

export function useI18n(): I18n {
  const value = useContext(I18nContext)
  if (!value) throw new Error('useI18n outside I18nProvider')
  return value
}
