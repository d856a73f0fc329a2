// The token counts inside a call's usage (OpenAI-shaped, as every adapter reports it) that are priced or stored
// apart: prompt-cache reads and writes (parts of prompt_tokens) and reasoning tokens (part of completion_tokens).
import type { Usage } from "../plugins/sdk.ts";

export interface TokenDetails {
  /** `prompt_tokens_details.cached_tokens`: input served from the provider's prompt cache. */
  cacheReadTokens: number;
  /** `prompt_tokens_details.cache_write_tokens`: input written to the provider's prompt cache (Anthropic). */
  cacheWriteTokens: number;
  /** `completion_tokens_details.reasoning_tokens`: thinking tokens, already counted in completion_tokens. */
  reasoningTokens: number;
}

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0);

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export function tokenDetails(usage: Usage | undefined): TokenDetails {
  const prompt = record(usage?.prompt_tokens_details);
  const completion = record(usage?.completion_tokens_details);
  return {
    cacheReadTokens: count(prompt?.cached_tokens),
    cacheWriteTokens: count(prompt?.cache_write_tokens),
    reasoningTokens: count(completion?.reasoning_tokens),
  };
}
