import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * The app id lives in two places: TARO_APP_ID in the env files (the code sends it with the login
 * code, and Taro writes it into dist/weapp/project.config.json on every weapp build) and the
 * hand-written project.config.json that WeChat DevTools reads when it opens apps/miniapp.
 */
const file = (name: string) => readFileSync(fileURLToPath(new URL(`../${name}`, import.meta.url)), 'utf8')

function envSetting(envFile: string, name: string): string | undefined {
  return new RegExp(`^${name}="?([^"\\n]+)"?`, 'm').exec(file(envFile))?.[1]
}

describe('the project file WeChat DevTools opens', () => {
  it('names the app the watch build (.env.development) logs in as', () => {
    const { appid } = JSON.parse(file('project.config.json')) as { appid: string }
    expect(appid, 'project.config.json appid must match TARO_APP_ID in .env.development').toBe(
      envSetting('.env.development', 'TARO_APP_ID'),
    )
  })

  it('points DevTools at the weapp build', () => {
    expect(JSON.parse(file('project.config.json')).miniprogramRoot).toBe('./dist/weapp')
  })
})
