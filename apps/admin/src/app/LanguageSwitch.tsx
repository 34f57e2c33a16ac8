import { TranslationOutlined } from '@ant-design/icons'
import { Button, type ButtonProps } from 'antd'
import { useI18n } from './i18n'

/**
 * Switches the dashboard between Chinese and English. Its label is in the language it switches
 * to (with `lang` saying so, for screen readers); `title` names it in the current one.
 */
export function LanguageSwitch(props: Pick<ButtonProps, 'type' | 'size'>) {
  const { t, lang, setLang } = useI18n()
  return (
    <Button
      {...props}
      icon={<TranslationOutlined />}
      title={t.language.label}
      lang={lang === 'zh' ? 'en' : 'zh-CN'}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t.language.switchTo}
    </Button>
  )
}
