import { freePort } from '@yuyue/devkit'
import type { MiniProgram } from '@yuyue/wechat-runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  API_DOMAIN,
  acceptAtWechat,
  bookSoonSlot,
  button,
  launchToHome,
  localDate,
  meOf,
  messagesTo,
  openMiniProgram,
  openStaffView,
  SECOND_APP,
  type Servers,
  slotCell,
  soonSlot,
  startServers,
  waitForRoute,
} from './miniProgram'

/**
 * The built weapp package (dist/weapp) run in the model of WeChat's client runtime
 * (@yuyue/wechat-runtime), against the real API and the WeChat sandbox: the journeys of the H5
 * suite, through Taro's compiled event handlers, with WeChat's rules enforced.
 */

let servers: Servers

beforeAll(async () => {
  servers = await startServers()
  await servers.admin.createSlots({
    from: localDate(1),
    to: localDate(1),
    times: [
      { start: '09:00', end: '10:00' },
      { start: '10:00', end: '11:00' },
    ],
    capacity: 2,
    title: '健康体检',
  })
  await servers.admin.createSlots({
    from: localDate(1),
    to: localDate(1),
    times: [{ start: '11:00', end: '12:00' }],
    capacity: 5,
    title: '晨间瑜伽',
  })
}, 90_000)
afterAll(() => servers?.stop())

async function showTomorrow(app: MiniProgram): Promise<void> {
  await app.tap(app.find({ className: 'day-tabs__item', text: '明天' }))
  await app.waitFor(() => slotCell(app, '09:00 - 10:00'))
}

describe('the weapp package in WeChat', () => {
  it('logs a new person in with no tap and shows the slots', async () => {
    const app = openMiniProgram(servers)
    await launchToHome(app)
    await app.waitForText('验证手机号后即可预约')
    await showTomorrow(app)
    expect(slotCell(app, '09:00 - 10:00').text()).toContain('剩余 2/2')
    expect(app.requests()).toContainEqual({ method: 'POST', path: '/api/auth/wx-login' })
  })

  it("logs in with the running app's own AppID (getAccountInfoSync), not the build's", async () => {
    const app = openMiniProgram(servers, { appId: SECOND_APP.appId })
    await launchToHome(app)
    await app.waitForText('验证手机号后即可预约')
  })

  it('快捷登录 agrees to the guide and binds the phone in one tap; then a booking is made', async () => {
    const app = openMiniProgram(servers, { person: { phone: { number: '13800138001' } } })
    await launchToHome(app)
    await app.waitForText('验证手机号后即可预约')
    await app.tap(button(app, '快捷登录'))
    await app.waitFor(() => !app.text().includes('验证手机号后即可预约'))
    expect(app.privacy.agreed).toBe(true)

    await showTomorrow(app)
    await app.tap(button(app, '预约', slotCell(app, '09:00 - 10:00')))
    const confirm = await app.waitFor(() => app.screen.openModal())
    expect(confirm.title).toBe('确认预约')
    confirm.confirm()
    await app.waitFor(() => app.screen.toasts.includes('预约成功'))
    await app.waitFor(() => button(app, '已预约', slotCell(app, '09:00 - 10:00')))
  })

  it('saves a nickname only once WeChat’s review passed it, never on blur; uploads a chosen avatar', async () => {
    const app = openMiniProgram(servers)
    await launchToHome(app)
    await app.tapTab('pages/profile/index')
    await app.waitForText('昵称')
    const nickname = () => app.find({ tag: 'input' })

    app.person.nicknameReview = 'fail'
    const picking = app.pickNickname(nickname(), '违规昵称')
    // the nickname input is a privacy API: WeChat holds it until the app's popup is agreed to
    await app.tap(await app.waitFor(() => button(app, '同意')))
    await picking
    await app.waitFor(() => app.screen.toasts.includes('昵称未通过微信审核，请重新填写'))
    expect((await meOf(servers, app)).body.user.nickname).toBeNull()

    app.person.nicknameReview = 'pass'
    await app.pickNickname(nickname(), '小明')
    await app.waitFor(() => app.screen.toasts.includes('昵称已保存'))
    expect((await meOf(servers, app)).body.user.nickname).toBe('小明')
    expect(app.requests()).toContainEqual({ method: 'POST', path: '/api/me/profile' })

    // the avatar: chooseAvatar hands a temporary file, which goes up with wx.uploadFile
    await app.tap(app.find({ className: 'profile-head__avatar' }))
    await app.waitFor(() => app.screen.toasts.includes('头像已更新'))
    expect(app.requests()).toContainEqual({ method: 'POST', path: '/api/me/avatar' })
    const image = await app.waitFor(() => app.find({ className: 'profile-head__image' }))
    expect(String(image.attribute('src'))).toMatch(/\/api\/uploads\/avatars\/\d+-[0-9a-f]{24}\.png$/)
  })

  it('lists the booking in 我的预约 and adds it to the calendar from the tap itself, with numeric times', async () => {
    const app = await personWithBooking('13800138002', '10:00 - 11:00')
    await app.tapTab('pages/bookings/index')
    // 我的预约 lists the booking, still to come
    const card = await app.waitFor(() => app.find({ className: 'booking-card', text: '健康体检' }))
    expect(card.text()).toContain('已预约')
    expect(card.text()).toContain('10:00-11:00')
    await app.tap(button(app, '添加到手机日历'))
    await app.waitFor(() => app.calendar.length === 1)
    const [entry] = app.calendar
    expect(entry!.title).toBe('预约：健康体检')
    expect(typeof entry!.startTime).toBe('number')
    expect(entry!.endTime! - entry!.startTime).toBe(3600)
    await app.waitFor(() => app.screen.toasts.includes('已添加到日历'))
  })

  it('asks for subscribe messages in the booking tap itself; the reminder reaches WeChat, 我的预约 says so', async () => {
    const app = await personWithPhoneAt('13800138011')
    await app.tap(button(app, '预约', slotCell(app, '11:00 - 12:00')))
    const confirm = await app.waitFor(() => app.screen.openModal())
    // the sheet opened from the tap (it fails after an await) with both templates the API offers
    expect(app.subscriptions).toEqual([{ tmplYuyueReminder: 'accept', tmplYuyueCancelled: 'accept' }])
    await acceptAtWechat(servers, app.person.openid, ['tmplYuyueReminder', 'tmplYuyueCancelled'])
    confirm.confirm()
    await app.waitFor(() => button(app, '已预约', slotCell(app, '11:00 - 12:00')))

    // the API's queue sends it (due at once: REMINDER_LEAD_MINUTES is a week here)
    const messages = await messagesTo(servers, app.person.openid, 1)
    expect(messages).toHaveLength(1)
    const [reminder] = messages
    expect(reminder).toMatchObject({ templateId: 'tmplYuyueReminder' })
    expect(reminder!.page).toMatch(/^pages\/bookings\/index\?id=\d+$/)
    await app.tapTab('pages/bookings/index')
    const card = await app.waitFor(() => app.find({ className: 'booking-card', text: '晨间瑜伽' }))
    expect(card.text()).toContain('提醒已发送')
  })

  it('books all the same when the person refuses, and 设置提醒 later asks again from its own tap', async () => {
    const app = await personWithPhoneAt('13800138012')
    app.person.subscribeAnswers = { tmplYuyueReminder: 'reject', tmplYuyueCancelled: 'reject' }
    await app.tap(button(app, '预约', slotCell(app, '11:00 - 12:00')))
    ;(await app.waitFor(() => app.screen.openModal())).confirm()
    await app.waitFor(() => button(app, '已预约', slotCell(app, '11:00 - 12:00')))

    await app.tapTab('pages/bookings/index')
    const card = await app.waitFor(() => app.find({ className: 'booking-card', text: '晨间瑜伽' }))
    expect(card.text()).toContain('未设提醒')
    app.person.subscribeAnswers = {}
    await acceptAtWechat(servers, app.person.openid, ['tmplYuyueReminder', 'tmplYuyueCancelled'])
    await app.tap(button(app, '设置提醒', card))
    await app.waitFor(() => app.screen.toasts.includes('已设提醒'))
    expect(app.subscriptions).toHaveLength(2)
    expect(await messagesTo(servers, app.person.openid, 1)).toHaveLength(1)
  })

  it('shows a visible 重试 when the API refuses connections at launch, and goes on once it is back', async () => {
    // nothing listens there: the connection is refused
    const app = openMiniProgram(servers, {
      domains: { [API_DOMAIN]: `http://127.0.0.1:${await freePort()}` },
    })
    await app.launch()
    const retry = await app.waitFor(() => button(app, '重试'))
    expect(app.currentPage()?.route).toBe('pages/launch/index')
    expect(app.text()).toContain('网络连接失败')
    app.network.route(API_DOMAIN, servers.stack.apiUrl)
    await app.tap(retry)
    await waitForRoute(app, 'pages/home/index')
    await app.waitForText('验证手机号后即可预约')
  })

  // check-in opens 30 minutes before a slot starts (the default rule): the slot starts soon, today
  it.skipIf(soonSlot() === null)(
    'a staff number lands on the staff view (a subpackage) and checks a booking in',
    async () => {
      await bookSoonSlot(servers, '13800138003', { title: '签到演示', capacity: 2 })
      const staff = await openStaffView(servers, '13900000031', '员工甲')
      expect(staff.loadedScripts).toContain('secondary/staff/index.js')
      // the person's row, once the day has loaded (扫码签到 is there before it)
      const checkIn = await staff.waitFor(() =>
        button(staff, '签到', staff.find({ className: 'cell', text: '138****8003' })),
      )
      await staff.tap(checkIn)
      // a tap check-in asks first: a wrong tap would mark someone present who is not
      const confirm = await staff.waitFor(() => staff.screen.openModal())
      expect(confirm.content).toContain('138****8003')
      confirm.confirm()
      await staff.waitFor(() => staff.screen.toasts.includes('签到成功'))
      await staff.waitForText('已签到')
    },
  )

  it('a staff member whose number is removed is taken off the staff view on the next request', async () => {
    const staff = await openStaffView(servers, '13900000032', '员工乙')
    await staff.waitForText('后一天')

    await servers.admin.removeStaff('13900000032')
    staff.pullDownRefresh()
    await waitForRoute(staff, 'pages/home/index')
    await staff.waitFor(() => staff.screen.toasts.includes('你已不是工作人员'))
    // the person the app holds is a user now: no 工作台 on home or profile
    await staff.waitForText('明天')
    expect(staff.text()).not.toContain('工作台')
    await staff.tapTab('pages/profile/index')
    await staff.waitForText('普通用户')
  })

  it('a person disabled by the admin meets the blocked page on their next request', async () => {
    const app = openMiniProgram(servers, { person: { phone: { number: '13800138004' } } })
    await launchToHome(app)
    await app.tap(button(app, '快捷登录'))
    await app.waitFor(() => !app.text().includes('验证手机号后即可预约'))
    const user = await servers.admin.userByMobile('13800138004')
    await servers.admin.setDisabled(user.id, true)
    app.pullDownRefresh()
    await waitForRoute(app, 'secondary/blocked/index')
    await app.waitForText('账号已被禁用')
  })

  it('注销账号: after confirming, the account is erased and the app goes on as a new person', async () => {
    const app = await personWithBooking('13800138005', '09:00 - 10:00')
    const before = await servers.admin.userByMobile('13800138005')
    await app.tapTab('pages/profile/index')
    await app.tap(await app.waitFor(() => app.find({ className: 'profile-delete' })))
    const confirm = await app.waitFor(() => app.screen.openModal())
    expect(confirm.title).toBe('注销账号')
    confirm.confirm()
    await waitForRoute(app, 'pages/home/index')
    await app.waitForText('验证手机号后即可预约')
    expect(app.requests()).toContainEqual({ method: 'DELETE', path: '/api/me' })
    const now = await meOf(servers, app)
    expect(now.status).toBe(200)
    expect(now.body.user).toMatchObject({ phone: null, nickname: null })
    expect((now.body.user as unknown as { id: number }).id).not.toBe(before.id)
    // the number is free again: nobody holds it
    await expect(servers.admin.userByMobile('13800138005')).rejects.toThrow('no user with mobile')
  })
})

/** A person with a bound phone who has booked tomorrow's slot at `time`. */
/** A person who bound this phone, looking at tomorrow's slots. */
async function personWithPhoneAt(phone: string): Promise<MiniProgram> {
  const app = openMiniProgram(servers, { person: { phone: { number: phone } } })
  await launchToHome(app)
  await app.tap(button(app, '快捷登录'))
  await app.waitFor(() => !app.text().includes('验证手机号后即可预约'))
  await showTomorrow(app)
  return app
}

async function personWithBooking(phone: string, time: string): Promise<MiniProgram> {
  const app = openMiniProgram(servers, { person: { phone: { number: phone } } })
  await launchToHome(app)
  await app.tap(button(app, '快捷登录'))
  await app.waitFor(() => !app.text().includes('验证手机号后即可预约'))
  await showTomorrow(app)
  await app.tap(button(app, '预约', slotCell(app, time)))
  ;(await app.waitFor(() => app.screen.openModal())).confirm()
  await app.waitFor(() => button(app, '已预约', slotCell(app, time)))
  return app
}
