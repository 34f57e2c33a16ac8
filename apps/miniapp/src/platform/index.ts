import type { Platform } from './types'

export type * from './types'
export { NetworkError } from './types'

function selectPlatform(): Platform {
  // TARO_ENV is a literal after webpack's DefinePlugin, so each build keeps only its own branch
  // and the sandbox code never reaches the weapp package.
  if (process.env.TARO_ENV === 'h5') return require('./h5').h5Platform
  return require('./weapp').weappPlatform
}

export const platform: Platform = selectPlatform()
