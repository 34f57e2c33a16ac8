// @vitest-environment jsdom

import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { Button, DatePicker } from 'antd'
import dayjs from 'dayjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installBrowserStubs } from '../test/renderWithProviders'
import { useI18n } from './i18n'
import { Providers } from './Providers'

beforeAll(installBrowserStubs)
afterEach(cleanup)

function DayField() {
  const { setLang } = useI18n()
  return (
    <>
      <button type="button" onClick={() => setLang('en')}>
        English
      </button>
      <DatePicker aria-label="day" defaultPickerValue={dayjs('2025-06-01')} />
    </>
  )
}

async function openCalendar(lang: 'zh' | 'en') {
  const user = userEvent.setup()
  render(
    <Providers language="zh">
      <DayField />
    </Providers>,
  )
  if (lang === 'en') await user.click(screen.getByRole('button', { name: 'English' }))
  await waitFor(() => expect(dayjs.locale()).toBe(lang === 'zh' ? 'zh-cn' : 'en'))
  await user.click(screen.getByLabelText('day'))
  const weekdays = [...document.querySelectorAll('.ant-picker-content thead th')].map((th) => th.textContent)
  const month = document.querySelector('.ant-picker-month-btn')?.textContent
  return { weekdays, month }
}

describe('the date pickers follow the dashboard language', () => {
  it('in Chinese: Chinese month and weekday names, weeks from Monday', async () => {
    expect(await openCalendar('zh')).toEqual({
      weekdays: ['一', '二', '三', '四', '五', '六', '日'],
      month: '6月',
    })
    expect(dayjs('2025-06-01').format('MMMM dddd')).toBe('六月 星期日')
  })

  it('after switching to English: English names, weeks from Sunday', async () => {
    expect(await openCalendar('en')).toEqual({
      weekdays: ['Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa'],
      month: 'Jun',
    })
    expect(dayjs('2025-06-01').format('MMMM dddd')).toBe('June Sunday')
  })
})

describe('buttons', () => {
  it("read 登录, not antd's spaced-out 登 录", () => {
    render(
      <Providers language="zh">
        <Button type="primary">登录</Button>
      </Providers>,
    )
    expect(screen.getByRole('button').textContent).toBe('登录')
  })
})
