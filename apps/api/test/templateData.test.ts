import { fitsType, typeOfKey } from '@yuyue/wechat-sandbox'
import { describe, expect, it } from 'vitest'
import { parseTemplateFields } from '../src/wechat/subscribeTemplates'
import { type BookingFacts, fitTemplateData, templateThing } from '../src/wechat/templateData'

const SHANGHAI = 'Asia/Shanghai'
const booking: BookingFacts = {
  title: '周一晨间瑜伽',
  startsAt: new Date('2026-12-07T07:00:00Z'),
  endsAt: new Date('2026-12-07T08:30:00Z'),
  reason: '教练临时有事',
}

/** The sandbox's reading of WeChat's value rules is the oracle: every fitted value must pass it. */
function expectAllFit(data: Record<string, { value: string }>) {
  for (const [key, { value }] of Object.entries(data)) {
    const type = typeOfKey(key)
    expect(type, key).not.toBeNull()
    expect(fitsType(type!, value), `${key} = ${JSON.stringify(value)}`).toBe(true)
  }
}

describe('fitting a booking to a template', () => {
  it('writes the default reminder: the title as a thing, the start as WeChat’s time in APP_TIMEZONE', () => {
    const data = fitTemplateData(parseTemplateFields(undefined).reminder, booking, SHANGHAI)

    expect(data).toEqual({ thing1: { value: '周一晨间瑜伽' }, time2: { value: '2026年12月7日 15:00' } })
    expectAllFit(data)
  })

  it('reads the wall clock in the configured zone, not the server’s', () => {
    const fields = parseTemplateFields('reminder:time1=startsAt;time2=endsAt').reminder

    expect(fitTemplateData(fields, booking, 'America/New_York')).toEqual({
      time1: { value: '2026年12月7日 02:00' },
      time2: { value: '2026年12月7日 03:30' },
    })
    expect(
      fitTemplateData(fields, { ...booking, startsAt: new Date('2026-12-31T16:05:00Z') }, SHANGHAI).time1,
    ).toEqual({ value: '2027年1月1日 00:05' })
  })

  it('gives a date key the day alone and a thing key the whole start', () => {
    const fields = parseTemplateFields('cancelled:date1=startsAt;thing2=endsAt;thing3=reason').cancelled
    const data = fitTemplateData(fields, booking, SHANGHAI)

    expect(data).toEqual({
      date1: { value: '2026年12月7日' },
      thing2: { value: '2026年12月7日 16:30' },
      thing3: { value: '教练临时有事' },
    })
    expectAllFit(data)
  })

  it('cuts a long title to 20 characters with an ellipsis, counting characters as WeChat does', () => {
    const long = '这是一个名字特别特别长的团体课程需要截断显示'
    const emoji = `${'🧘'.repeat(25)}`
    const data = fitTemplateData(
      parseTemplateFields('reminder:thing1=title').reminder,
      { ...booking, title: long },
      SHANGHAI,
    )

    expect(data.thing1?.value).toBe(`${long.slice(0, 19)}…`)
    expect(Array.from(templateThing(emoji))).toHaveLength(20)
    expect(templateThing('a'.repeat(20))).toBe('a'.repeat(20))
    expectAllFit(data)
    expectAllFit({ thing1: { value: templateThing(emoji) } })
  })

  it('keeps a thing on one line and never empty', () => {
    const fields = parseTemplateFields(undefined).cancelled
    const data = fitTemplateData(fields, { ...booking, title: '瑜伽\n\t进阶班\r\n', reason: '  ' }, SHANGHAI)

    expect(data.thing1).toEqual({ value: '瑜伽 进阶班' })
    expect(data.thing3).toEqual({ value: '无' })
    expect(fitTemplateData(fields, { ...booking, reason: null }, SHANGHAI).thing3).toEqual({ value: '无' })
    expectAllFit(data)
  })

  it('fits any title the admin can type to the default templates', () => {
    const titles = [
      '',
      ' ',
      '\u0000控制\u0007字符',
      'x'.repeat(200),
      '标点！？、。“”（）',
      'Mixed 中文 & English 123',
    ]
    for (const title of titles) {
      for (const fields of Object.values(parseTemplateFields(undefined))) {
        expectAllFit(fitTemplateData(fields, { ...booking, title, reason: title }, SHANGHAI))
      }
    }
  })
})
