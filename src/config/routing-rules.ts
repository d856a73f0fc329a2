// The rules a routing request obeys wherever it is written (the config's routing settings at load, a request's
// `routing` object per call): which fallback reasons exist, and that provider_order names configured providers.

/** Why an attempt may move on to the next candidate. The config schema's union is built from this list. */
export const FALLBACK_REASONS = ["rate_limit", "timeout", "server_error", "model_not_available"] as const;

export type FallbackReasonName = (typeof FALLBACK_REASONS)[number];

const REASONS: ReadonlySet<string> = new Set(FALLBACK_REASONS);

export function isFallbackReason(value: unknown): value is FallbackReasonName {
  return typeof value === "string" && REASONS.has(value);
}

/** In provider_order, the name that stands for the platform keys rather than a provider. */
export const PLATFORM_ENTRY = "platform";

/**
 * The entries of a provider_order that name no configured provider ('platform' stands for the platform keys),
 * each with its index and the problem in words. Non-string entries are the schema's to refuse.
 */
export function unknownProvidersInOrder(
  order: readonly unknown[],
  isConfigured: (name: string) => boolean,
): { index: number; message: string }[] {
  const unknown: { index: number; message: string }[] = [];
  for (const [index, name] of order.entries()) {
    if (typeof name === "string" && name !== PLATFORM_ENTRY && !isConfigured(name)) {
      unknown.push({ index, message: `no provider named '${name}' is configured ('${PLATFORM_ENTRY}' stands for the platform keys)` });
    }
  }
  return unknown;
}
