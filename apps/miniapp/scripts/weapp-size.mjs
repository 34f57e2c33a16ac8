// Prints the size of the weapp main package and fails above WeChat's limit (2 MB per package).
// There are no subpackages, so everything under dist/weapp is the main package.
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const LIMIT_BYTES = 2 * 1024 * 1024
const root = fileURLToPath(new URL('../dist/weapp', import.meta.url))
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

let shipped
try {
  shipped = files(root).filter((path) => !NOT_SHIPPED.some((rule) => rule.test(relative(root, path))))
} catch {
  console.error('dist/weapp is missing: run pnpm build:weapp first')
  process.exit(1)
}
const sizes = shipped.map((path) => ({ path: relative(root, path), bytes: statSync(path).size }))
const total = sizes.reduce((sum, file) => sum + file.bytes, 0)
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`

for (const file of sizes.sort((a, b) => b.bytes - a.bytes).slice(0, 8)) {
  console.log(`${kib(file.bytes).padStart(11)}  ${file.path}`)
}
console.log(`weapp main package: ${kib(total)} in ${sizes.length} files (limit ${kib(LIMIT_BYTES)})`)
if (total > LIMIT_BYTES) {
  console.error('the main package is over WeChat’s 2 MB limit')
  process.exit(1)
}
