import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin'
import devConfig from './dev'
import prodConfig from './prod'

// `@yuyue/contracts` ships TypeScript sources; the app imports only its types (erased by Babel),
// but should a value ever be imported, webpack must transpile it rather than fail on `type`.
const contractsSource = path.resolve(process.cwd(), '../../packages/contracts/src')

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'yuyue-miniapp',
    date: '2026-11-22',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // weapp and h5 would otherwise overwrite each other in dist/
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: ['@tarojs/plugin-generator'],
    defineConstants: {},
    // the browser build's stand-in for WeChat's own privacy-contract page
    copy: {
      patterns:
        process.env.TARO_ENV === 'h5' ? [{ from: 'static/privacy.html', to: 'dist/h5/privacy.html' }] : [],
      options: {},
    },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    // Chinese text as UTF-8 (3 bytes a character), not \uXXXX escapes (6): WeChat reads its
    // scripts as UTF-8, and the main package's size is first-open time (3 KiB of its budget)
    terser: { enable: true, config: { output: { ascii_only: false } } },
    mini: {
      compile: { include: [contractsSource] },
      // each page imports its own styles; their order across shared chunks does not matter
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [contractsSource] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      // The H5 build calls relative URLs (/api, /__sandbox); in dev this server forwards them to
      // the local API and the WeChat sandbox, so nothing about where they run is baked in.
      devServer: {
        port: 10086,
        host: '127.0.0.1',
        proxy: {
          '/api': { target: process.env.YUYUE_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: true },
          '/__sandbox': {
            target: process.env.YUYUE_SANDBOX_URL ?? 'http://127.0.0.1:4100',
            changeOrigin: true,
          },
        },
      },
      webpackChain(chain) {
        chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin)
      },
    },
  }

  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, devConfig)
  return merge({}, baseConfig, prodConfig)
})
