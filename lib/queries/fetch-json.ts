// The one fetcher of the UI: JSON from /api/v1 with the query's AbortSignal (an abandoned
// dashboard query is cancelled, and the route passes the signal on to ClickHouse), and
// API errors turned into ApiError carrying the server's code and message.

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function fetchJson<T>(url: string, signal?: AbortSignal, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, signal, headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: reported below */
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; message?: string };
    const message = b.message ?? (res.status === 404 ? `${url.split('?')[0]} is not available on this server (404)` : `HTTP ${res.status}`);
    throw new ApiError(res.status, b.error ?? `http_${res.status}`, message);
  }
  return body as T;
}

/** `?a=1&b=2` from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
