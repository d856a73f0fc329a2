// What keyway's response headers say about a call, on every result: who answered, whether the caller's key paid,
// how many upstream attempts it took, the request id, dropped parameters and platform rate limits.

export interface ResponseMeta {
  /** X-Provider-Used: the provider that answered (null on answers that involve no provider: models, analytics). */
  providerUsed: string | null;
  /** X-BYOK-Used: the caller's own key (sent with the request, or stored) paid; null when no provider answered. */
  byokUsed: boolean | null;
  /** X-Keyway-Attempts: upstream attempts keyway made (fallbacks and retries included). */
  attempts: number | null;
  /** X-Request-Id: the caller's (`requestId` option) or keyway's. */
  requestId: string | null;
  /** USD keyway charged for the call (`usage.cost` of the answer): 0 when your key paid; null when the answer has none. */
  costUsd: number | null;
  /** X-Keyway-Dropped-Params: request fields the chosen provider does not take, left out. */
  droppedParams: string[];
  /** X-RateLimit-Limit-Requests / X-RateLimit-Remaining-Requests: the platform limit, when platform keys paid. */
  rateLimit: { limitRequests: number | null; remainingRequests: number | null } | null;
  /** The HTTP status of the answer. */
  status: number;
  /** Every response header, for anything not read above. */
  headers: Headers;
}

function numberHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export function metaFrom(response: Response, costUsd: number | null = null): ResponseMeta {
  const { headers } = response;
  const byok = headers.get("x-byok-used");
  const dropped = headers.get("x-keyway-dropped-params");
  const limit = numberHeader(headers, "x-ratelimit-limit-requests");
  const remaining = numberHeader(headers, "x-ratelimit-remaining-requests");
  return {
    providerUsed: headers.get("x-provider-used"),
    byokUsed: byok === null ? null : byok === "true",
    attempts: numberHeader(headers, "x-keyway-attempts"),
    requestId: headers.get("x-request-id"),
    costUsd,
    droppedParams: dropped ? dropped.split(",").map((name) => name.trim()).filter(Boolean) : [],
    rateLimit: limit === null && remaining === null ? null : { limitRequests: limit, remainingRequests: remaining },
    status: response.status,
    headers,
  };
}
