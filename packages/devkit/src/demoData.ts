/**
 * What `dev` puts in an empty database so the product can be tried at once: the demo staff
 * phone in the staff directory and a week of slots. Done through the API, like an admin would.
 */
export const DEMO_ADMIN = { username: 'admin', password: 'yuyue-admin' } as const
export const DEMO_STAFF_PHONE = '13900000000'

async function call<T>(
  apiUrl: string,
  path: string,
  init: { method?: string; token?: string; body?: unknown } = {},
) {
  const response = await fetch(`${apiUrl}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  })
  const text = await response.text()
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text) as T
}

function shanghaiDate(daysAhead: number): string {
  return new Date(Date.now() + 8 * 3600_000 + daysAhead * 86_400_000).toISOString().slice(0, 10)
}

export async function seedDemoData(apiUrl: string): Promise<string[]> {
  const done: string[] = []
  const { token } = await call<{ token: string }>(apiUrl, '/api/admin/auth/login', { body: DEMO_ADMIN })
  const staff = await call<{ total: number }>(apiUrl, `/api/admin/staff?q=${DEMO_STAFF_PHONE}`, { token })
  if (staff.total === 0) {
    await call(apiUrl, '/api/admin/staff/import', {
      token,
      body: { rows: [{ mobile: DEMO_STAFF_PHONE, name: '演示工作人员', note: 'dev 自动导入' }] },
    })
    done.push(`imported the demo staff phone ${DEMO_STAFF_PHONE}`)
  }
  const from = shanghaiDate(0)
  const to = shanghaiDate(6)
  const existing = await call<{ items: unknown[] }>(apiUrl, `/api/admin/slots?from=${from}&to=${to}`, {
    token,
  })
  if (existing.items.length === 0) {
    const created = await call<{ items: unknown[] }>(apiUrl, '/api/admin/slots', {
      token,
      body: {
        from,
        to,
        times: [
          { start: '09:00', end: '10:00' },
          { start: '10:00', end: '11:00' },
          { start: '14:00', end: '15:00' },
          { start: '15:00', end: '16:00' },
          { start: '20:00', end: '21:00' },
        ],
        capacity: 5,
        title: '演示服务',
      },
    })
    done.push(`created ${created.items.length} demo slots (${from} – ${to})`)
  }
  return done
}
