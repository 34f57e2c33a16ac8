// The weapp package's sizes as WeChat counts them: the main package is every shipped file outside
// the subpackage roots (app.json's subPackages), and is what WeChat downloads before the first
// page; each subpackage is downloaded when one of its pages opens. Fails when the main package is
// over its budget (MAIN_BUDGET_BYTES, far below WeChat's 2 MB limit: its size is first-open time).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const WECHAT_PACKAGE_LIMIT_BYTES = 2 * 1024 * 1024
export const MAIN_BUDGET_BYTES = 350 * 1024
// not uploaded: the project file is read by the developer tools, licences are comments
const NOT_SHIPPED = [
  /^project\.config\.json$/,
  /^project\.private\.config\.json$/,
  /\.LICENSE\.txt$/,
  /\.map$/,
]

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? files(path) : [path]
  })
}

/** {main: {bytes, files}, subpackages: {root: {bytes, files}}} for a built dist/weapp. */
export function measureWeapp(root) {
  const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'))
  const roots = (app.subPackages ?? app.subpackages ?? []).map((pkg) => pkg.root.replace(/\/$/, ''))
  const main = { bytes: 0, files: [] }
  const subpackages = Object.fromEntries(roots.map((r) => [r, { bytes: 0, files: [] }]))
  for (const path of files(root)) {
    const name = relative(root, path).split('\\').join('/')
    if (NOT_SHIPPED.some((rule) => rule.test(name))) continue
    const owner = roots.find((r) => name.startsWith(`${r}/`))
    const bucket = owner ? subpackages[owner] : main
    const bytes = statSync(path).size
    bucket.bytes += bytes
    bucket.files.push({ name, bytes })
  }
  return { main, subpackages }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../dist/weapp', import.meta.url))
  let sizes
  try {
    sizes = measureWeapp(root)
  } catch {
    console.error('dist/weapp is missing: run pnpm build:weapp first')
    process.exit(1)
  }
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`
  for (const file of sizes.main.files.sort((a, b) => b.bytes - a.bytes).slice(0, 8)) {
    console.log(`${kib(file.bytes).padStart(11)}  ${file.name}`)
  }
  console.log(
    `weapp main package: ${kib(sizes.main.bytes)} in ${sizes.main.files.length} files (budget ${kib(MAIN_BUDGET_BYTES)}, WeChat's limit ${kib(WECHAT_PACKAGE_LIMIT_BYTES)})`,
  )
  for (const [name, pkg] of Object.entries(sizes.subpackages)) {
    console.log(`subpackage ${name}: ${kib(pkg.bytes)} in ${pkg.files.length} files`)
  }
  if (sizes.main.bytes > MAIN_BUDGET_BYTES) {
    console.error('the main package is over its budget')
    process.exit(1)
  }
}
