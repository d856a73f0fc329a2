// The cost comparison: what BYOK calls cost (their list price, plus keyway's BYOK fee) against what the same
// calls would have cost on platform keys (list price x (1 + markup)). Integer micro-USD throughout, each figure
// rounded once (roundHalfUp), converted to USD at the end.
import { BASIS_POINTS, microsToUsd, roundHalfUp } from "../usage/money.ts";
import { describePeriod, type Period } from "./periods.ts";

export interface CostComparison {
  /** BYOK calls' list price, micro-USD (what the providers charged the customer). */
  providerCostsMicros: number;
  /** keyway's BYOK fee: providerCosts x byok_fee_percent, rounded once. */
  platformFeesMicros: number;
  byokTotalMicros: number;
  /** The same calls on platform keys: providerCosts x (1 + markup_percent), rounded once. */
  platformTotalMicros: number;
  /** platformTotal - byokTotal (negative when the BYOK fee exceeds the markup). */
  savingsMicros: number;
  /** savings / platformTotal in percent, rounded half away from zero to two decimals; 0 when platformTotal is 0. */
  savingsPercentage: number;
}

/** The comparison for BYOK calls whose list price sums to `listMicros`, with the fee and markup in basis points. */
export function compareCosts(listMicros: number, byokFeeBps: number, markupBps: number): CostComparison {
  const list = BigInt(listMicros);
  const fees = roundHalfUp(list * BigInt(byokFeeBps), BigInt(BASIS_POINTS));
  const byokTotal = listMicros + fees;
  const platformTotal = roundHalfUp(list * BigInt(BASIS_POINTS + markupBps), BigInt(BASIS_POINTS));
  const savings = platformTotal - byokTotal;
  const hundredths = platformTotal === 0 ? 0 : roundHalfUp(BigInt(Math.abs(savings)) * 10_000n, BigInt(platformTotal));
  return {
    providerCostsMicros: listMicros,
    platformFeesMicros: fees,
    byokTotalMicros: byokTotal,
    platformTotalMicros: platformTotal,
    savingsMicros: savings,
    savingsPercentage: (Math.sign(savings) * hundredths) / 100,
  };
}

/** The answer of GET /v1/analytics/cost-comparison. */
export function costComparisonAnswer(period: Period, requests: number, c: CostComparison, rates: { byokFeeBps: number; markupBps: number }) {
  return {
    period: describePeriod(period),
    byok_requests: requests,
    byok: {
      provider_costs: microsToUsd(c.providerCostsMicros),
      platform_fees: microsToUsd(c.platformFeesMicros),
      total: microsToUsd(c.byokTotalMicros),
    },
    platform: { total: microsToUsd(c.platformTotalMicros) },
    savings: microsToUsd(c.savingsMicros),
    savings_percentage: c.savingsPercentage,
    rates: { byok_fee_percent: rates.byokFeeBps / 100, markup_percent: rates.markupBps / 100 },
  };
}
