/** An answer as the drill's checks read it: its status (0: none came) and its JSON body ({} if none). */
export interface Reply<Body = Record<string, unknown>> {
  status: number
  body: Body
}

/** A JSON request of the drill's checks, with the token as a bearer; no answer within 60 s is status 0. */
export async function post<Body = Record<string, unknown>>(
  base: string,
  path: string,
  body: unknown,
  token?: string,
  method: 'POST' | 'PUT' | 'DELETE' = 'POST',
): Promise<Reply<Body>> {
  try {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    })
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Body }
  } catch {
    return { status: 0, body: {} as Body }
  }
}
