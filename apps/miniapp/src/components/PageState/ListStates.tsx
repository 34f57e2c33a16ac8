import type { Loaded } from '../useLoaded'
import PageState from '.'

interface Props<T> {
  state: Loaded<T[]>
  /** what an empty list means, in the person's words */
  emptyMessage: string
  onReload: () => void
}

/** The loading, failed and empty states of a list a page loaded; nothing once it has items. */
export default function ListStates<T>({ state, emptyMessage, onReload }: Props<T>) {
  if (state.status === 'loading') return <PageState kind="loading" />
  if (state.status === 'error')
    return <PageState kind="error" message={state.message} actionText="重新加载" onAction={onReload} />
  if (state.data.length === 0) return <PageState kind="empty" message={emptyMessage} />
  return null
}
