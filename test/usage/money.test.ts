import { describe, expect, test } from "bun:test";
import { knownNames } from "../../src/cli/known-names.ts";
import { validateConfig } from "../../src/config/validate.ts";
import { markupBasisPoints } from "../../src/config/money-precision.ts";
import { PRICE_CATALOGUE } from "../../src/usage/price-catalogue.ts";
import { costMicros } from "../../src/usage/prices.ts";
import { roundHalfUp } from "../../src/usage/money.ts";

describe("the cost of a call, in integer micro-USD", () => {
  test("a list price of 7,000 micro-USD with a 10 % markup is 7,700", () => {
    // 7 output tokens at $1,000 per million tokens: 7,000 micro-USD at list price.
    const price = { input_per_mtok: 0, output_per_mtok: 1000 };
    expect(costMicros(price, 0, 7)).toBe(7000);
    expect(costMicros(price, 0, 7, markupBasisPoints(10))).toBe(7700);
  });

  // Each row: price (USD per million tokens), tokens, markup in basis points, and the charge worked out by hand.
  const table: [string, { input_per_mtok: number; output_per_mtok: number }, number, number, number, number][] = [
    ["list price, no markup", { input_per_mtok: 2.5, output_per_mtok: 10 }, 1000, 100, 0, 3500],
    ["half a micro-USD rounds up", { input_per_mtok: 0.5, output_per_mtok: 0 }, 1, 0, 0, 1],
    ["100.5 rounds up (floats make it 100.49999...)", { input_per_mtok: 1.005, output_per_mtok: 0 }, 100, 0, 0, 101],
    ["4,999.5 rounds up", { input_per_mtok: 0.0375, output_per_mtok: 0 }, 133_320, 0, 0, 5000],
    ["0.45 rounds down", { input_per_mtok: 0.15, output_per_mtok: 0 }, 3, 0, 0, 0],
    ["a tiny call: 0.5 x 1.1 = 0.55, rounded once (not 1 then 2)", { input_per_mtok: 0.5, output_per_mtok: 0 }, 1, 0, 1000, 1],
    ["a tiny call at a quarter of a micro-USD", { input_per_mtok: 0.25, output_per_mtok: 0 }, 1, 0, 1000, 0],
    ["5 x 1.1 = 5.5 rounds up", { input_per_mtok: 5, output_per_mtok: 0 }, 1, 0, 1000, 6],
    ["12.5 % markup: 2,812.5 rounds up", { input_per_mtok: 2.5, output_per_mtok: 0 }, 1000, 0, 1250, 2813],
    ["one basis point: 7,000.7 rounds up", { input_per_mtok: 0, output_per_mtok: 1000 }, 0, 7, 1, 7001],
    ["input and output sum before rounding: 0.3 + 0.3", { input_per_mtok: 0.3, output_per_mtok: 0.3 }, 1, 1, 0, 1],
    ["a large call: $577.50", { input_per_mtok: 15, output_per_mtok: 75 }, 10_000_000, 5_000_000, 1000, 577_500_000],
    ["beyond 2^53 in between: 1e9 tokens at $60 with 12.34 %", { input_per_mtok: 0, output_per_mtok: 60 }, 0, 1_000_000_000, 1234, 67_404_000_000],
    ["no tokens", { input_per_mtok: 2.5, output_per_mtok: 10 }, 0, 0, 1000, 0],
  ];
  for (const [name, price, input, output, bps, expected] of table) {
    test(name, () => expect(costMicros(price, input, output, bps)).toBe(expected));
  }

  test("no price is no cost; token counts that are not whole numbers are taken up to the next token", () => {
    expect(costMicros(undefined, 1000, 1000, 1000)).toBe(0);
    expect(costMicros({ input_per_mtok: 1, output_per_mtok: 1 }, 1.2, Number.NaN)).toBe(2);
    expect(costMicros({ input_per_mtok: 1, output_per_mtok: 1 }, -5, 3)).toBe(3);
  });

  test("the rounding rule: half up, on exact fractions", () => {
    expect(roundHalfUp(5n, 10n)).toBe(1);
    expect(roundHalfUp(4n, 10n)).toBe(0);
    expect(roundHalfUp(15n, 10n)).toBe(2);
    expect(roundHalfUp(25n, 10n)).toBe(3);
    expect(roundHalfUp(24_999_999n, 10_000_000n)).toBe(2);
  });

  test("every catalogue price is a whole number of micro-USD per million tokens", () => {
    for (const [adapter, prices] of Object.entries(PRICE_CATALOGUE)) {
      for (const [model, pair] of Object.entries(prices)) {
        for (const usd of pair) expect({ adapter, model, micros: Math.round(usd * 1e6) / 1e6 }).toEqual({ adapter, model, micros: usd });
      }
    }
  });
});

describe("money settings are exact at load", () => {
  test("markup_percent becomes basis points: 10 -> 1000, 12.5 -> 1250, 0.07 -> 7", () => {
    expect(markupBasisPoints(10)).toBe(1000);
    expect(markupBasisPoints(12.5)).toBe(1250);
    expect(markupBasisPoints(0.07)).toBe(7);
    expect(markupBasisPoints(0)).toBe(0);
  });

  test("a markup finer than a basis point, or a price finer than a micro-USD per million tokens, is a config error", () => {
    const issues = validateConfig(
      {
        platform: { markup_percent: 12.345 },
        providers: { openai: { adapter: "openai", models: [{ id: "m", input_per_mtok: 0.0000001, output_per_mtok: 0.0375 }] } },
      },
      knownNames,
    ).issues;
    expect(issues).toContainEqual({ path: "platform.markup_percent", message: "12.345 is finer than a basis point; write at most two decimals (like 12.35)" });
    expect(issues).toContainEqual({
      path: "providers.openai.models[0].input_per_mtok",
      message: "1e-7 is finer than a micro-USD per million tokens; write at most six decimals",
    });
    expect(issues.map((i) => i.path)).not.toContain("providers.openai.models[0].output_per_mtok");
    expect(validateConfig({ platform: { markup_percent: 12.34 } }, knownNames).issues).toEqual([]);
  });
});
