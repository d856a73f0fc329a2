// Reads how many requests an upstream says are left in its current rate-limit window, from its response headers.

/** OpenAI, Mistral, Perplexity and most OpenAI-compatible servers; Anthropic; the generic and IETF-draft names. */
const REMAINING_HEADERS = [
  "x-ratelimit-remaining-requests",
  "anthropic-ratelimit-requests-remaining",
  "x-ratelimit-remaining",
  "ratelimit-remaining",
] as const;

export function rateLimitRemaining(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  for (const name of REMAINING_HEADERS) {
    const value = headers.get(name);
    if (value === null) continue;
    const count = Number.parseInt(value, 10);
    if (Number.isFinite(count) && count >= 0) return count;
  }
  return undefined;
}
