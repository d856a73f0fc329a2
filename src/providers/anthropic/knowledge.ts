// What keyway knows about Anthropic besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../../plugins/sdk.ts";
import { perMtok } from "../price-table.ts";

export const anthropicKnowledge = {
  prices: perMtok({
    "claude-3-5-sonnet": [3, 15],
    "claude-3-7-sonnet": [3, 15],
    "claude-sonnet-4": [3, 15],
    "claude-3-5-haiku": [0.8, 4],
    "claude-3-haiku": [0.25, 1.25],
    "claude-3-opus": [15, 75],
    "claude-opus-4": [15, 75],
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
