// What keyway knows about Mistral besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { perMtok } from "./price-table.ts";

export const mistralKnowledge = {
  prices: perMtok({
    "mistral-large": [2, 6],
    "mistral-medium": [0.4, 2],
    "mistral-small": [0.2, 0.6],
    codestral: [0.3, 0.9],
    "open-mistral-nemo": [0.15, 0.15],
    "mistral-embed": [0.1, 0],
  }),
  modelGroups: {
    flagship: "mistral-large-latest",
    "gpt-4": "mistral-large-latest",
    fast: "mistral-small-latest",
    reasoning: "magistral-medium-latest",
    embedding: "mistral-embed",
  },
} satisfies Partial<ProviderAdapter>;
