import { type ChildProcess, spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stopLocalDatabase, stopLocalRedis } from '../src/index'
import { mariadbPaths } from '../src/local-mariadb'
import { redisPaths } from '../src/local-redis'
import { isProcessAlive } from '../src/processes'
import { removeStateDir, temporaryStateDir } from './support'

describe('a pid file whose pid now belongs to another process', () => {
  let stateDir: string
  let bystander: ChildProcess & { pid: number }

  beforeEach(async () => {
    stateDir = await temporaryStateDir('recycled')
    bystander = spawn('sleep', ['30']) as ChildProcess & { pid: number }
  })
  afterEach(async () => {
    bystander.kill('SIGKILL')
    await removeStateDir(stateDir)
  })

  it('is not stopped as if it were the local MariaDB', async () => {
    await writeFile(mariadbPaths(stateDir).pidFile, `${bystander.pid}\n`)
    await writeFile(mariadbPaths(stateDir).portFile, '3306\n')

    expect(await stopLocalDatabase(stateDir)).toBe(false)
    expect(isProcessAlive(bystander.pid)).toBe(true)
  })

  it('is not stopped as if it were the local Redis', async () => {
    await writeFile(redisPaths(stateDir).pidFile, `${bystander.pid}\n`)
    await writeFile(redisPaths(stateDir).portFile, '6379\n')

    expect(await stopLocalRedis(stateDir)).toBe(false)
    expect(isProcessAlive(bystander.pid)).toBe(true)
  })
})
