import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type RunningSandbox, startSandbox } from '@yuyue/wechat-sandbox'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'

const run = promisify(execFile)
const APP = { appId: 'wxcluster0000000a1', secret: 'cluster-secret-0123456789abcdef012' }
const exchanger = fileURLToPath(new URL('./fixtures/phoneExchanger.ts', import.meta.url))

let sandbox: RunningSandbox
beforeAll(async () => {
  sandbox = await startSandbox({ apps: [APP] })
})
afterAll(() => sandbox.close())

it('two API processes sharing Redis fetch the access token once between them', async () => {
  const prefix = `yuyue-test-${randomBytes(4).toString('hex')}:`
  // both processes start exchanging at the same instant, once both have booted
  const startAt = String(Date.now() + 2500)
  const processes = [0, 1].map((p) => {
    const pairs = Array.from({ length: 20 }, (_, i) => {
      const openid = `o-${p}-${i}`
      return `${openid}=${sandbox.issuePhoneCode({ appId: APP.appId, phoneNumber: '13800138000', openid }).code}`
    })
    return run(
      process.execPath,
      [
        '--import',
        'tsx',
        exchanger,
        sandbox.url,
        inject('redisUrl'),
        prefix,
        APP.appId,
        APP.secret,
        startAt,
        ...pairs,
      ],
      { timeout: 20_000 },
    )
  })
  const outputs = await Promise.all(processes)
  expect(outputs.map((o) => o.stdout.trim())).toEqual(['20', '20'])
  expect(sandbox.stats().calls['/wxa/business/getuserphonenumber']).toBe(40)
  expect(sandbox.stats().calls['/cgi-bin/stable_token']).toBe(1)
})
