// The dashboard's one way to the server: fetch on keyway's public API (same origin, the session cookie sent), the
// session's CSRF token on every state-changing call, failures as ApiError with keyway's error code.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let signedOut: () => void = () => {};

/** The CSRF token of the current session (kept in memory only), or null when signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any call answers 401: the session ended (expired, signed out elsewhere, key revoked). */
export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

export interface CallOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  query?: Record<string, string | number | undefined>;
}

export function pathWithQuery(path: string, query: CallOptions["query"] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(name, String(value));
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

async function send(path: string, options: CallOptions): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken !== null) headers["x-csrf-token"] = csrfToken;
  const response = await fetch(pathWithQuery(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (response.ok) return response;
  let error: { message?: string; code?: string; param?: string } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // Not keyway's JSON error (a proxy's page): the status says enough.
  }
  if (response.status === 401 && path !== "/v1/sessions") signedOut();
  throw new ApiError(response.status, error.code ?? null, error.message ?? `The server answered ${response.status}.`, error.param ?? null);
}

/** A JSON call on the public API. */
export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  return (await (await send(path, options)).json()) as T;
}

/** A call whose answer is a file (the billing export): its bytes and the name the server gave it. */
export async function download(path: string, options: CallOptions = {}): Promise<{ blob: Blob; filename: string }> {
  const response = await send(path, options);
  const disposition = response.headers.get("content-disposition") ?? "";
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? "keyway-export";
  return { blob: await response.blob(), filename };
}
