import { useSearchParams } from 'react-router'

type Query = { page?: number; pageSize?: number }

/** The page size a list starts with, left out of the address. */
const DEFAULT_PAGE_SIZE = 20

/** The paging every list reads from its address: page ≥ 1, 1 ≤ pageSize ≤ 100. */
export function pagingOf(params: URLSearchParams): { page: number; pageSize: number } {
  return {
    page: Math.max(1, Number(params.get('page')) || 1),
    pageSize: Math.min(100, Math.max(1, Number(params.get('pageSize')) || DEFAULT_PAGE_SIZE)),
  }
}

/**
 * A list's filters and page, kept in the URL so a reload, a shared link or a return after login
 * keeps them. A change applies to the address as it is now, not as the last render saw it: the
 * router's navigation renders as a transition, so a filter set a moment ago may not have rendered
 * yet, and must not be dropped. A new filter starts again on the first page.
 */
export function useUrlQuery<Q extends Query>(
  parse: (params: URLSearchParams) => Q,
): [Q, (change: Partial<Q>) => void] {
  const [params, setParams] = useSearchParams()
  const update = (change: Partial<Q>) => {
    const current = parse(new URLSearchParams(window.location.search))
    const next = { ...current, ...('page' in change ? {} : { page: 1 }), ...change }
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(next) as [string, unknown][]) {
      if (value === undefined || value === '') continue
      if ((key === 'page' && value === 1) || (key === 'pageSize' && value === DEFAULT_PAGE_SIZE)) continue
      search.set(key, String(value))
    }
    setParams(search, { replace: true })
  }
  return [parse(params), update]
}
