/** One GraphQL answer over HTTP: the status, the parsed body, and how long it took. */
export interface GqlResult<T> {
  status: number;
  data: T | null;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }> | undefined;
  ms: number;
}

/** POSTs one operation. Never throws for HTTP or GraphQL errors: the caller decides. */
export async function postGql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlResult<T>> {
  const startedAt = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GqlResult<T>["errors"] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, data: body.data ?? null, errors: body.errors, ms: performance.now() - startedAt };
}

/** POSTs one operation and throws unless it answered 200 without errors. */
export async function mustGql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await postGql<T>(url, query, variables, token);
  if (result.status !== 200 || result.errors || result.data === null) {
    throw new Error(`GraphQL request failed (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result.data)}\n${query}`);
  }
  return result.data;
}

/** JSON with object keys sorted, so two answers compare by content whatever order fields came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
