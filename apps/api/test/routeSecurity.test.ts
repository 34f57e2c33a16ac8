import { createHmac } from 'node:crypto'
import { can } from '@yuyue/contracts'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { DEV_JWT_SECRET } from '../src/config'
import type { GuardedRoute } from '../src/plugins/app/auth'
import { adminToken, bearer, bindPhone, login } from './support/actors'
import { resetDatabase, startHarness } from './support/harness'

/**
 * The security suite, generated from the route table the guard keeps: every /api route is called
 * with each kind of token it must refuse. A route added tomorrow is in this table by being
 * registered, so it cannot skip these checks.
 */

const h = await startHarness()
afterAll(async () => {
  await resetDatabase(h.app)
  await h.close()
})
await resetDatabase(h.app)

/** Routes anyone may call: a new public route must be added here, on purpose. */
const PUBLIC_ROUTES = [
  'POST /api/auth/wx-login',
  'POST /api/admin/auth/login',
  'GET /api/uploads/avatars/:name',
  'HEAD /api/uploads/avatars/:name',
  'GET /api/config',
  'HEAD /api/config',
]

const STAFF_PHONE = '13900139001'
const admin = await adminToken(h.app)
const imported = await h.app.inject({
  method: 'POST',
  url: '/api/admin/staff/import',
  headers: bearer(admin),
  payload: { rows: [{ mobile: STAFF_PHONE }] },
})
expect(imported.statusCode, imported.body).toBe(200)
const user = await login(h)
const staff = await login(h)
await bindPhone(h, staff, STAFF_PHONE)
const disabled = await login(h)
const disabling = await h.app.inject({
  method: 'PATCH',
  url: `/api/admin/users/${disabled.userId}`,
  headers: bearer(admin),
  payload: { isDeleted: true },
})
expect(disabling.statusCode, disabling.body).toBe(200)
// an admin whose account was removed after logging in
const removedAdmin = await adminToken(h.app)
const removedAdminId = Number(h.app.tokens.read(removedAdmin)?.sub)
await h.app.db.execute(sql`DELETE FROM admin_accounts WHERE id = ${removedAdminId}`)

const past = Math.floor(Date.now() / 1000) - 60
const expiredUser = h.app.jwt.sign({
  aud: 'miniapp',
  sub: String(user.userId),
  ver: 0,
  app: 'x',
  iid: 1,
  exp: past,
})
const expiredAdmin = h.app.jwt.sign({ aud: 'admin', sub: '1', name: 'x', exp: past })

/** What anyone could sign while the development secret was accepted in production. */
function signedWithDevSecret(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, exp: past + 3600 })}`
  return `${body}.${createHmac('sha256', DEV_JWT_SECRET).update(body).digest('base64url')}`
}
const forgedAdmin = signedWithDevSecret({ aud: 'admin', sub: '1', name: 'admin' })
const forgedUser = signedWithDevSecret({ aud: 'miniapp', sub: String(user.userId), ver: 0, app: 'x', iid: 1 })

const PARAMS: Record<string, string> = {
  id: '1',
  mobile: STAFF_PHONE,
  name: '1-000000000000000000000000.png',
}

function call(route: GuardedRoute, headers: Record<string, string>) {
  const url = route.url.replace(/:(\w+)/g, (_match, name: string) => PARAMS[name] ?? '1')
  const hasBody = !['GET', 'HEAD', 'DELETE'].includes(route.method)
  return h.app.inject({
    method: route.method as 'GET',
    url,
    headers: hasBody ? { 'content-type': 'application/json', ...headers } : headers,
    ...(hasBody ? { payload: '{}' } : {}),
  })
}

async function expectRefused(
  route: GuardedRoute,
  headers: Record<string, string>,
  status: number,
  code: string,
) {
  const response = await call(route, headers)
  expect(response.statusCode, `${route.method} ${route.url}: ${response.body}`).toBe(status)
  if (route.method !== 'HEAD') expect(response.json().error.code).toBe(code)
}

const routes = h.app.apiRoutes
const guarded = routes.filter((route) => route.auth !== 'public')
const label = (route: GuardedRoute) => `${route.method} ${route.url}`

describe('the route table', () => {
  it('holds every route, and public ones are exactly those meant to be public', () => {
    // a guard that the generated suite is not empty: these exist today
    for (const known of [
      'GET /api/me',
      'POST /api/me/avatar',
      'GET /api/admin/users',
      'POST /api/staff/bookings/:id/check-in',
    ])
      expect(routes.map(label)).toContain(known)
    expect(guarded.length).toBeGreaterThan(25)
    expect(
      routes
        .filter((route) => route.auth === 'public')
        .map(label)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort())
  })
})

for (const route of guarded) {
  if (route.auth === 'public') continue
  const { audience, permission } = route.auth
  describe(label(route), () => {
    it('refuses no token, a malformed one, an expired one and one signed with the development secret (401)', async () => {
      await expectRefused(route, {}, 401, 'UNAUTHORIZED')
      await expectRefused(route, { authorization: 'Bearer not.a.token' }, 401, 'UNAUTHORIZED')
      await expectRefused(route, { authorization: 'Basic YWRtaW46eXV5dWU=' }, 401, 'UNAUTHORIZED')
      await expectRefused(
        route,
        bearer(audience === 'admin' ? expiredAdmin : expiredUser),
        401,
        'UNAUTHORIZED',
      )
      await expectRefused(route, bearer(audience === 'admin' ? forgedAdmin : forgedUser), 401, 'UNAUTHORIZED')
    })

    if (audience === 'admin') {
      it('refuses mini-program tokens, a staff one included (403), and a removed admin’s (401)', async () => {
        await expectRefused(route, bearer(user.token), 403, 'FORBIDDEN')
        await expectRefused(route, bearer(staff.token), 403, 'FORBIDDEN')
        await expectRefused(route, bearer(disabled.token), 403, 'FORBIDDEN')
        await expectRefused(route, bearer(removedAdmin), 401, 'UNAUTHORIZED')
      })
    } else {
      it('refuses an admin token (403) and a disabled person’s (403 USER_DISABLED)', async () => {
        await expectRefused(route, bearer(admin), 403, 'FORBIDDEN')
        await expectRefused(route, bearer(disabled.token), 403, 'USER_DISABLED')
      })
      if (permission && !can('user', permission)) {
        it(`refuses an ordinary user’s token (403: ${permission} is not theirs)`, async () => {
          await expectRefused(route, bearer(user.token), 403, 'FORBIDDEN')
        })
      }
    }
  })
}
