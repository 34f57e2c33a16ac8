// babel-preset-taro: https://docs.taro.zone/docs/next/babel-config
//
// WeChat's JS engine on older iPhones (iOS 10.3's JavaScriptCore) has ES2017 and no later syntax
// (SPEC §6b): no object spread, `catch {`, `?.`, `??`. The targets are explicit because the preset
// otherwise reads browserslist, or aims at the running Node whenever NODE_ENV is `test`.
// Async functions (ES2017) stay native: both targets have them.
const WECHAT_FLOOR = { ios: '10.3', chrome: '58' }

module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
        targets: WECHAT_FLOOR,
        ignoreBrowserslistConfig: true,
      },
    ],
  ],
}
