// @vitest-environment jsdom

import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installBrowserStubs } from '../test/renderWithProviders'
import { LanguageSwitch } from './LanguageSwitch'
import { Providers } from './Providers'

beforeAll(installBrowserStubs)
afterEach(cleanup)

describe('the language switch', () => {
  it('is labelled in the language it switches to, and switches both ways', async () => {
    const user = userEvent.setup()
    render(
      <Providers language="zh">
        <LanguageSwitch type="text" />
      </Providers>,
    )
    const toEnglish = screen.getByRole('button', { name: /English/ })
    expect(toEnglish.getAttribute('lang')).toBe('en')
    expect(toEnglish.getAttribute('title')).toBe('切换语言')

    await user.click(toEnglish)
    const toChinese = await screen.findByRole('button', { name: /中文/ })
    expect(toChinese.getAttribute('lang')).toBe('zh-CN')
    expect(toChinese.getAttribute('title')).toBe('Switch language')

    await user.click(toChinese)
    expect(await screen.findByRole('button', { name: /English/ })).toBeTruthy()
  })
})
