export default definePageConfig({
  navigationBarTitleText: '预约',
  enablePullDownRefresh: true,
})
