import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/** Every WeChat/Taro API call goes through src/platform, so tests can hand the logic a fake. */
const src = fileURLToPath(new URL('../src', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

const outsidePlatform = sources(src)
  .map((path) => ({ file: relative(src, path), text: readFileSync(path, 'utf8') }))
  .filter(({ file }) => !file.startsWith('platform/'))

describe('the platform boundary', () => {
  it('nothing outside src/platform calls a Taro or wx API', () => {
    const calls = outsidePlatform.flatMap(({ file, text }) =>
      [...text.matchAll(/\b(?:Taro|wx)\.[a-zA-Z]+\s*\(/g)].map((m) => `${file}: ${m[0]}`),
    )
    expect(calls).toEqual([])
  })

  it('outside src/platform, @tarojs/taro gives only lifecycle hooks', () => {
    const notHooks = outsidePlatform.flatMap(({ file, text }) =>
      [...text.matchAll(/^import\s+([^'\n]*?)\s+from\s+'@tarojs\/taro'/gm)].flatMap((m) => {
        const named = /^\{([^}]*)\}$/.exec(m[1]!.trim())
        // a default or namespace import is the whole API
        if (!named) return [`${file}: ${m[1]}`]
        return named[1]!
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name && !/^use[A-Z]\w*$/.test(name))
          .map((name) => `${file}: ${name}`)
      }),
    )
    expect(notHooks).toEqual([])
  })
})
