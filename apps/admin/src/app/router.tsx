import { type ComponentType, lazy, Suspense } from 'react'
import { createBrowserRouter, Navigate } from 'react-router'
import { setUnauthorizedHandler } from '../lib/request'
import { PageLoading } from './PageLoading'
import { paths } from './paths'
import { RequireSession } from './RequireSession'

// Every page is its own chunk: the login page loads React, the router and the few antd parts it
// uses; tables, pickers, the layout and the import code come when a logged-in page needs them.
const LoginPage = lazy(() => import('../pages/login/LoginPage'))
const AdminLayout = lazy(() => import('./AdminLayout'))
const OverviewPage = lazy(() => import('../pages/overview/OverviewPage'))
const UsersPage = lazy(() => import('../pages/users/UsersPage'))
const StaffPage = lazy(() => import('../pages/staff/StaffPage'))
const SlotsPage = lazy(() => import('../pages/slots/SlotsPage'))
const BookingsPage = lazy(() => import('../pages/bookings/BookingsPage'))
const SettingsPage = lazy(() => import('../pages/settings/SettingsPage'))
const AuditPage = lazy(() => import('../pages/audit/AuditPage'))
const ChangePasswordPage = lazy(() => import('../pages/account/ChangePasswordPage'))

const page = (Page: ComponentType) => (
  <Suspense fallback={<PageLoading />}>
    <Page />
  </Suspense>
)

export function createRouter() {
  const router = createBrowserRouter([
    { path: paths.login, element: page(LoginPage) },
    {
      element: <RequireSession />,
      children: [
        {
          element: page(AdminLayout),
          children: [
            { index: true, element: page(OverviewPage) },
            { path: paths.users, element: page(UsersPage) },
            { path: paths.staff, element: page(StaffPage) },
            { path: paths.slots, element: page(SlotsPage) },
            { path: paths.bookings, element: page(BookingsPage) },
            { path: paths.settings, element: page(SettingsPage) },
            { path: paths.audit, element: page(AuditPage) },
            { path: paths.password, element: page(ChangePasswordPage) },
          ],
        },
      ],
    },
    { path: '*', element: <Navigate to={paths.overview} replace /> },
  ])
  // a 401 anywhere: to the login page, remembering where the admin was
  setUnauthorizedHandler(() => {
    const { pathname, search } = router.state.location
    if (pathname === paths.login) return
    const here = `${pathname}${search}`
    void router.navigate(`${paths.login}?redirect=${encodeURIComponent(here)}&expired=1`, { replace: true })
  })
  return router
}
