// What keyway knows about Cohere besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../../plugins/sdk.ts";
import { perMtok } from "../price-table.ts";

export const cohereKnowledge = {
  prices: perMtok({
    "command-a": [2.5, 10],
    "command-r-plus": [2.5, 10],
    "command-r": [0.15, 0.6],
    "command-r7b": [0.0375, 0.15],
    "embed-english-v3.0": [0.1, 0],
    "embed-multilingual-v3.0": [0.1, 0],
  }),
  modelGroups: {
    flagship: "command-a-03-2025",
    "gpt-4": "command-a-03-2025",
    fast: "command-r7b-12-2024",
    reasoning: "command-a-reasoning-08-2025",
    embedding: "embed-v4.0",
  },
} satisfies Partial<ProviderAdapter>;
