export default defineAppConfig({
  pages: ['pages/launch/index', 'pages/home/index', 'pages/bookings/index', 'pages/profile/index'],
  // Pages off the tab bar that most people never open load on demand, so they do not weigh on
  // everyone's first open (the main package is what WeChat downloads before the first page).
  subPackages: [{ root: 'secondary', pages: ['staff/index', 'blocked/index', 'booking-code/index'] }],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#ededed',
    navigationBarBackgroundColor: '#ededed',
    navigationBarTitleText: '预约',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    color: '#7f7f7f',
    selectedColor: '#07c160',
    backgroundColor: '#f7f7f7',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '预约',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/bookings/index',
        text: '我的预约',
        iconPath: 'assets/tab/bookings.png',
        selectedIconPath: 'assets/tab/bookings-active.png',
      },
      {
        pagePath: 'pages/profile/index',
        text: '我的',
        iconPath: 'assets/tab/profile.png',
        selectedIconPath: 'assets/tab/profile-active.png',
      },
    ],
  },
  // privacy APIs wait for the app's own agreement popup (onNeedPrivacyAuthorization)
  __usePrivacyCheck__: true,
  lazyCodeLoading: 'requiredComponents',
})
