import { Button, type ButtonProps } from 'antd'

type BusyButtonProps = Omit<ButtonProps, 'loading' | 'children' | 'aria-label' | 'aria-busy'> & {
  label: string
  busy: boolean
}

/**
 * An antd button that shows a spinner while its action runs and whose accessible name is its
 * label, busy or not. The name is set rather than derived from the content: antd puts an icon
 * labelled "loading" into a busy button (and leaves it there when the icon's leave transition never
 * ends), and a button's own icon is labelled too, so the derived name reads "loading 登录" or
 * "reload 刷新" — neither what a screen reader should say nor what a test can find.
 */
export function BusyButton({ label, busy, ...props }: BusyButtonProps) {
  return (
    <Button {...props} loading={busy} aria-label={label} aria-busy={busy}>
      {label}
    </Button>
  )
}
