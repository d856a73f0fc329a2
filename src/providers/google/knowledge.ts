// What keyway knows about Google Gemini besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../../plugins/sdk.ts";
import { perMtok } from "../price-table.ts";

export const googleKnowledge = {
  prices: perMtok({
    "gemini-1.5-pro": [1.25, 5],
    "gemini-1.5-flash": [0.075, 0.3],
    "gemini-2.0-flash": [0.1, 0.4],
    "gemini-2.5-pro": [1.25, 10],
    "gemini-2.5-flash": [0.3, 2.5],
    "text-embedding-004": [0, 0],
  }),
  modelGroups: { flagship: "gemini-2.5-pro", "gpt-4": "gemini-2.5-pro", fast: "gemini-2.5-flash", reasoning: "gemini-2.5-pro", embedding: "gemini-embedding-001" },
  keyPatterns: [/\bAIza[0-9A-Za-z_-]{16,}/g],
  keySettings: ["safety_settings"],
} satisfies Partial<ProviderAdapter>;
