import { Button, View } from '@tarojs/components'
import './index.scss'

interface Props {
  kind: 'loading' | 'empty' | 'error'
  message?: string
  actionText?: string
  onAction?: () => void
}

/** Loading, empty and failed states, with a way forward (a retry, or somewhere to go). */
export default function PageState({ kind, message, actionText, onAction }: Props) {
  const text = message ?? (kind === 'loading' ? '加载中…' : kind === 'empty' ? '暂无内容' : '加载失败')
  return (
    <View className={`page-state page-state--${kind}`}>
      {kind === 'loading' ? <View className="page-state__spinner" /> : null}
      <View className="page-state__text">{text}</View>
      {actionText && onAction ? (
        <Button className="page-state__action" size="mini" onClick={onAction}>
          {actionText}
        </Button>
      ) : null}
    </View>
  )
}
