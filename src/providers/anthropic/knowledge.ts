// What keyway knows about Anthropic besides its wire format: list prices (USD per million tokens: input, output,
// cache read, cache write; prices change, keep them current), its members of the default model
// groups, and where its keys hide in text.
import type { ProviderAdapter } from "../../plugins/sdk.ts";
import { perMtok } from "../price-table.ts";

export const anthropicKnowledge = {
  // Prompt caching: cache reads cost 0.1x the input price, 5-minute cache writes 1.25x.
  prices: perMtok({
    "claude-3-5-sonnet": [3, 15, 0.3, 3.75],
    "claude-3-7-sonnet": [3, 15, 0.3, 3.75],
    "claude-sonnet-4": [3, 15, 0.3, 3.75],
    "claude-3-5-haiku": [0.8, 4, 0.08, 1],
    "claude-haiku-4-5": [1, 5, 0.1, 1.25],
    "claude-3-haiku": [0.25, 1.25, 0.03, 0.3],
    "claude-3-opus": [15, 75, 1.5, 18.75],
    "claude-opus-4": [15, 75, 1.5, 18.75],
    "claude-opus-4-5": [5, 25, 0.5, 6.25],
    "claude-opus-4-6": [5, 25, 0.5, 6.25],
  }),
  modelGroups: {
    flagship: "claude-sonnet-4-5-20250929",
    "gpt-4": "claude-sonnet-4-5-20250929",
    fast: "claude-haiku-4-5-20251001",
    reasoning: "claude-opus-4-5-20251101",
  },
  keyPatterns: [/\bsk-ant-[A-Za-z0-9_*-]{6,}/g],
  rateLimitHeaders: { remainingRequests: ["anthropic-ratelimit-requests-remaining"], remainingTokens: ["anthropic-ratelimit-tokens-remaining"] },
} satisfies Partial<ProviderAdapter>;
