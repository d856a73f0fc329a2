// The one way keyway sends a request to a provider: header values checked before anything leaves, redirects
// never followed (a 3xx becomes an error naming only the location's host), so a key reaches only its base URL.

/** What actually sends a request (fetch itself; tests hand a fake). Always told `redirect: "manual"`. */
export type Transport = (url: string, init: RequestInit) => Promise<Response>;

export interface UpstreamInit {
  method?: string;
  headers: Record<string, string>;
  /** JSON text, or a multipart form (fetch writes its content type with the boundary). */
  body?: string | FormData;
  signal?: AbortSignal;
  /** Set by upstreamFetch, whatever the caller gave. */
  redirect?: "manual";
}

/** What an HTTP header value may not hold: what fetch refuses (CR, LF, NUL, beyond Latin-1) and other controls. */
const UNSENDABLE = /[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/;

/** Why a value cannot travel in an HTTP header (never quoting it), or undefined when it can. */
export function headerValueProblem(value: string): string | undefined {
  return UNSENDABLE.test(value) ? "it holds line breaks, NUL or other control characters, or characters outside Latin-1" : undefined;
}

/** A header value keyway refused to send (the key or option that fills it is bad input); nothing left keyway. */
export class UnsendableHeader extends Error {
  constructor(readonly header: string, problem: string) {
    super(`the '${header}' header cannot be sent: ${problem}`);
    this.name = "UnsendableHeader";
  }
}

/** The provider answered with a redirect; keyway did not follow it. Names the location's host only. */
export class UpstreamRedirect extends Error {
  constructor(readonly status: number, readonly locationHost: string | undefined) {
    const where = locationHost === undefined ? "no usable location" : `'${locationHost}'`;
    super(`answered ${status}, a redirect to ${where}; keyway never follows upstream redirects (check the provider's base_url)`);
    this.name = "UpstreamRedirect";
  }
}

function hostOf(location: string | null, base: string): string | undefined {
  if (location === null || location.trim() === "") return undefined;
  try {
    return new URL(location, base).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends one upstream request (`init` as given, its `redirect` set to "manual"). Throws UnsendableHeader before
 * sending a bad header value, UpstreamRedirect on any 3xx (its body discarded), and whatever fetch throws otherwise;
 * any other answer is returned as it came.
 */
export async function upstreamFetch(url: string, init: UpstreamInit, transport: Transport = fetch): Promise<Response> {
  for (const name in init.headers) {
    const problem = headerValueProblem(init.headers[name] as string);
    if (problem) throw new UnsendableHeader(name, problem);
  }
  // The caller's init is sent as it is, told never to follow a redirect.
  init.redirect = "manual";
  const response = await transport(url, init);
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new UpstreamRedirect(response.status, hostOf(response.headers.get("location"), url));
  }
  return response;
}
