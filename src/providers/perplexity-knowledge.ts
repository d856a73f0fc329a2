// What keyway knows about Perplexity besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { perMtok } from "./price-table.ts";

export const perplexityKnowledge = {
  prices: perMtok({
    sonar: [1, 1],
    "sonar-pro": [3, 15],
    "sonar-reasoning": [1, 5],
    "sonar-reasoning-pro": [2, 8],
  }),
  modelGroups: { flagship: "sonar-pro", "gpt-4": "sonar-pro", fast: "sonar", reasoning: "sonar-reasoning-pro" },
  keyPatterns: [/\bpplx-[A-Za-z0-9]{6,}/g],
} satisfies Partial<ProviderAdapter>;
