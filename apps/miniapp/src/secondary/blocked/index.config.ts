export default definePageConfig({
  navigationBarTitleText: '账号不可用',
})
