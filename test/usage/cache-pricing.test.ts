// Prompt-cache and reasoning tokens in a call's cost: cache reads and writes at their own rates, rounded once.
import { describe, expect, test } from "bun:test";
import anthropic from "../../src/providers/anthropic/index.ts";
import openai from "../../src/providers/openai.ts";
import { cataloguePrice } from "../../src/usage/price-catalogue.ts";
import { costMicros } from "../../src/usage/prices.ts";
import { tokenDetails } from "../../src/usage/token-details.ts";
import { knowledgeProblems } from "../../src/plugins/knowledge-shape.ts";

const SONNET = { input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 };

describe("the cost of a call with prompt-cache tokens", () => {
  test("uncached input, cache reads, cache writes and output, each at its rate", () => {
    // 1,000 input of which 600 read and 300 written: 100 x 3 + 600 x 0.3 + 300 x 3.75 + 50 x 15 = 2,355 micro-USD.
    expect(costMicros(SONNET, 1000, 50, 0, { read: 600, write: 300 })).toBe(2355);
    expect(costMicros(SONNET, 1000, 50)).toBe(3750);
  });

  test("one rounding, after the markup: 1 read token at 0.3 with 50 % markup is 0.45 -> 0", () => {
    expect(costMicros(SONNET, 1, 0, 5000, { read: 1 })).toBe(0);
    expect(costMicros(SONNET, 2, 0, 5000, { read: 2 })).toBe(1);
  });

  test("a price without cache rates prices cached tokens as input; counts above the input are capped", () => {
    const plain = { input_per_mtok: 2, output_per_mtok: 8 };
    expect(costMicros(plain, 1000, 0, 0, { read: 600, write: 300 })).toBe(2000);
    // reads cannot exceed the input, writes the input left after reads
    expect(costMicros(SONNET, 100, 0, 0, { read: 500, write: 500 })).toBe(30);
  });

  test("the catalogue carries cache rates: Anthropic 0.1x read and 1.25x write, OpenAI cached input", () => {
    expect(cataloguePrice(anthropic, "claude-sonnet-4-5-20250929")).toEqual(SONNET);
    expect(cataloguePrice(anthropic, "claude-opus-4-5-20251101")).toEqual({ input_per_mtok: 5, output_per_mtok: 25, cache_read_per_mtok: 0.5, cache_write_per_mtok: 6.25 });
    expect(cataloguePrice(openai, "gpt-4o-2024-08-06")).toEqual({ input_per_mtok: 2.5, output_per_mtok: 10, cache_read_per_mtok: 1.25 });
    for (const adapter of [anthropic, openai]) expect(knowledgeProblems(adapter as unknown as Record<string, unknown>)).toEqual([]);
  });

  test("a plugin's cache rate finer than a micro-USD per million tokens is refused", () => {
    expect(knowledgeProblems({ prices: { m: { input_per_mtok: 1, output_per_mtok: 1, cache_read_per_mtok: 0.0000001 } } })).toHaveLength(1);
    expect(knowledgeProblems({ prices: { m: { input_per_mtok: 1, output_per_mtok: 1, cache_write_per_mtok: -1 } } })).toHaveLength(1);
  });
});

describe("token details read from a call's usage", () => {
  test("cached_tokens, cache_write_tokens and reasoning_tokens; absent or odd values are 0", () => {
    expect(
      tokenDetails({
        prompt_tokens: 100,
        completion_tokens: 80,
        total_tokens: 180,
        prompt_tokens_details: { cached_tokens: 40, cache_write_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 64 },
      }),
    ).toEqual({ cacheReadTokens: 40, cacheWriteTokens: 10, reasoningTokens: 64 });
    expect(tokenDetails(undefined)).toEqual({ cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(tokenDetails({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, prompt_tokens_details: { cached_tokens: -3 } })).toEqual({
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
  });
});
