/**
 * A bottom action sheet drawn with plain DOM, for what WeChat would draw itself (its phone-number
 * sheet, its settings page). It lives outside React so the app's pages stay unaware of it.
 */

export interface SheetOption<T> {
  label: string
  hint?: string
  value: T
  tone?: 'normal' | 'warn'
}

export interface SheetInput<T> {
  placeholder: string
  pattern: RegExp
  submitLabel: string
  /** the keyboard to offer: digits unless told */
  inputMode?: 'numeric' | 'text'
  toValue(text: string): T
}

export interface SheetSpec<T> {
  title: string
  note?: string
  options: SheetOption<T>[]
  input?: SheetInput<T>
  cancelLabel?: string
}

const STYLE_ID = 'yuyue-sandbox-sheet-style'
const CSS = `
.yy-sheet-mask{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:10000;display:flex;align-items:flex-end}
.yy-sheet{width:100%;background:#f7f7f7;border-radius:12px 12px 0 0;overflow:hidden;font-size:16px;color:#111;
  font-family:-apple-system,"PingFang SC","WenQuanYi Micro Hei",sans-serif;padding-bottom:env(safe-area-inset-bottom)}
.yy-sheet-head{background:#fff;padding:16px 20px 12px;text-align:center}
.yy-sheet-title{font-weight:600;font-size:16px}
.yy-sheet-note{margin-top:6px;font-size:12px;color:#888;line-height:1.5}
.yy-sheet-option{display:block;width:100%;border:0;border-top:1px solid #eee;background:#fff;padding:14px 20px;
  text-align:left;font-size:16px;color:#111;cursor:pointer}
.yy-sheet-option small{display:block;color:#888;font-size:12px;margin-top:2px}
.yy-sheet-option.warn{color:#fa5151}
.yy-sheet-input{display:flex;gap:8px;background:#fff;border-top:1px solid #eee;padding:10px 20px}
.yy-sheet-input input{flex:1;font-size:16px;border:1px solid #ddd;border-radius:6px;padding:6px 8px}
.yy-sheet-input button{border:0;border-radius:6px;background:#07c160;color:#fff;padding:0 14px;font-size:14px}
.yy-sheet-cancel{display:block;width:100%;margin-top:8px;border:0;background:#fff;padding:14px;font-size:16px;color:#111}
`

function ensureStyle() {
  if (document.getElementById(STYLE_ID)) return
  const style = document.createElement('style')
  style.id = STYLE_ID
  style.textContent = CSS
  document.head.appendChild(style)
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) {
  const node = document.createElement(tag)
  node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

/** Resolves with the chosen option's value, or null when cancelled. */
export function showSheet<T>(spec: SheetSpec<T>): Promise<T | null> {
  ensureStyle()
  return new Promise((resolve) => {
    const mask = element('div', 'yy-sheet-mask')
    mask.setAttribute('role', 'dialog')
    mask.setAttribute('aria-label', spec.title)
    const sheet = element('div', 'yy-sheet')
    const close = (value: T | null) => {
      mask.remove()
      resolve(value)
    }

    const head = element('div', 'yy-sheet-head')
    head.appendChild(element('div', 'yy-sheet-title', spec.title))
    if (spec.note) head.appendChild(element('div', 'yy-sheet-note', spec.note))
    sheet.appendChild(head)

    for (const option of spec.options) {
      const button = element(
        'button',
        `yy-sheet-option${option.tone === 'warn' ? ' warn' : ''}`,
        option.label,
      )
      button.type = 'button'
      if (option.hint) button.appendChild(element('small', '', option.hint))
      button.addEventListener('click', () => close(option.value))
      sheet.appendChild(button)
    }

    const typed = spec.input
    if (typed) {
      const row = element('form', 'yy-sheet-input')
      const field = document.createElement('input')
      field.placeholder = typed.placeholder
      field.inputMode = typed.inputMode ?? 'numeric'
      field.setAttribute('aria-label', typed.placeholder)
      const submit = element('button', '', typed.submitLabel)
      submit.type = 'submit'
      row.append(field, submit)
      row.addEventListener('submit', (event) => {
        event.preventDefault()
        const text = field.value.trim()
        if (typed.pattern.test(text)) close(typed.toValue(text))
        else field.setCustomValidity('格式不正确')
      })
      sheet.appendChild(row)
    }

    const cancel = element('button', 'yy-sheet-cancel', spec.cancelLabel ?? '取消')
    cancel.type = 'button'
    cancel.addEventListener('click', () => close(null))
    sheet.appendChild(cancel)

    mask.addEventListener('click', (event) => {
      if (event.target === mask) close(null)
    })
    mask.appendChild(sheet)
    document.body.appendChild(mask)
  })
}
