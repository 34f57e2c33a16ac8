// The tests over dist/weapp need a build at least as new as the sources: build when it is
// missing or stale, so `pnpm test` never checks yesterday's output.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const app = fileURLToPath(new URL('..', import.meta.url))
const marker = join(app, 'dist/weapp/app.json')
const INPUTS = ['src', 'config', 'package.json', 'babel.config.cjs', 'project.config.json', '.env.production']

function newest(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), info.mtimeMs)
}

const sourcesChanged = INPUTS.map((input) => join(app, input))
  .filter(existsSync)
  .reduce((latest, path) => Math.max(latest, newest(path)), 0)

if (!existsSync(marker) || statSync(marker).mtimeMs < sourcesChanged) {
  console.log('dist/weapp is missing or older than the sources: building it')
  execSync('pnpm run build:weapp', { cwd: app, stdio: 'inherit' })
} else {
  console.log('dist/weapp is up to date')
}
