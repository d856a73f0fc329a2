// The cost comparison's arithmetic: integer micro-USD, one half-up rounding per figure, the percentage to two decimals.
import { describe, expect, test } from "bun:test";
import { compareCosts } from "../../src/analytics/cost-comparison.ts";

describe("compareCosts", () => {
  test("the worked example: 3,234,567 micro-USD at a 2.5 % fee against a 12.5 % markup", () => {
    // fee 80,864.175 -> 80,864; platform 3,638,887.875 -> 3,638,888; savings 323,457 = 8.8889 % -> 8.89.
    expect(compareCosts(3_234_567, 250, 1_250)).toEqual({
      providerCostsMicros: 3_234_567,
      platformFeesMicros: 80_864,
      byokTotalMicros: 3_315_431,
      platformTotalMicros: 3_638_888,
      savingsMicros: 323_457,
      savingsPercentage: 8.89,
    });
  });

  test("half a micro-USD rounds up, once per figure", () => {
    // 2 x 0.25 % = 0.005 -> 0 ; 10 x 5 % = 0.5 -> 1 ; 10 x 105 % = 10.5 -> 11.
    expect(compareCosts(2, 25, 0).platformFeesMicros).toBe(0);
    const c = compareCosts(10, 500, 500);
    expect(c.platformFeesMicros).toBe(1);
    expect(c.platformTotalMicros).toBe(11);
    expect(c.savingsMicros).toBe(0);
  });

  test("a fee above the markup is a negative saving; no BYOK spend is all zeros", () => {
    const c = compareCosts(1_000_000, 1_000, 500);
    expect(c.savingsMicros).toBe(-50_000);
    expect(c.savingsPercentage).toBe(-4.76); // -50,000 / 1,050,000 = -4.7619 %
    expect(compareCosts(0, 250, 1_250)).toEqual({
      providerCostsMicros: 0, platformFeesMicros: 0, byokTotalMicros: 0, platformTotalMicros: 0, savingsMicros: 0, savingsPercentage: 0,
    });
  });

  test("amounts past 2^53 / 10,000 stay exact (bigint intermediates)", () => {
    const big = 9_000_000_000_000; // 9 million USD
    expect(compareCosts(big, 1, 3).platformTotalMicros).toBe(big + 2_700_000_000);
  });
});
