// What keyway knows about OpenAI besides its wire format: list prices (USD per million tokens: input, output;
// prices change, keep them current), its members of the default model groups, and where its keys hide in text.
import type { ProviderAdapter } from "../plugins/sdk.ts";
import { perMtok } from "./price-table.ts";

export const openaiKnowledge = {
  // Cached input (prompt_tokens_details.cached_tokens) is billed at the third figure; OpenAI charges no cache writes.
  prices: perMtok({
    "gpt-4o": [2.5, 10, 1.25],
    "gpt-4o-mini": [0.15, 0.6, 0.075],
    "gpt-4.1": [2, 8, 0.5],
    "gpt-4.1-mini": [0.4, 1.6, 0.1],
    "gpt-4.1-nano": [0.1, 0.4, 0.025],
    "gpt-4-turbo": [10, 30],
    "gpt-3.5-turbo": [0.5, 1.5],
    "gpt-3.5-turbo-instruct": [1.5, 2],
    o1: [15, 60, 7.5],
    "o1-mini": [1.1, 4.4, 0.55],
    o3: [2, 8, 0.5],
    "o3-mini": [1.1, 4.4, 0.55],
    "o4-mini": [1.1, 4.4, 0.275],
    "text-embedding-3-small": [0.02, 0],
    "text-embedding-3-large": [0.13, 0],
    "text-embedding-ada-002": [0.1, 0],
    // moderations are free
    "omni-moderation": [0, 0],
    "text-moderation": [0, 0],
    // transcriptions: gpt-4o(-mini)-transcribe by tokens (every input token at the audio rate, the higher one);
    // whisper by the second of audio, which keyway records as input units: $0.006 a minute = $100 a million seconds
    "gpt-4o-transcribe": [6, 10],
    "gpt-4o-mini-transcribe": [3, 5],
    "whisper-1": [100, 0],
  }),
  modelGroups: { flagship: "gpt-4.1", "gpt-4": "gpt-4o", fast: "gpt-4o-mini", reasoning: "o4-mini", embedding: "text-embedding-3-small" },
  // sk-, sk-proj-, sk-svcacct-, and the sk- keys of OpenAI-style hosts (OpenRouter, DeepSeek ...)
  keyPatterns: [/\bsk-[A-Za-z0-9_*-]{6,}/g],
} satisfies Partial<ProviderAdapter>;
