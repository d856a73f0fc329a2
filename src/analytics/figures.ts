// One group's figures as answers show them: USD from integer micro-USD sums (converted once, at the end), average
// and p95 latency (p95 read from the latency histogram: the upper bound of the bucket holding it), error rate.
import type { UsageFigures } from "../store/repositories/usage-rollups.ts";
import { latencyPercentile } from "../store/usage-rollup.ts";
import { microsToUsd } from "../usage/money.ts";

export interface ShownFigures {
  requests: number;
  /** At the provider's list price, USD. */
  estimated_cost: number;
  /** What keyway charged (platform keys; 0 for BYOK), USD: only where asked (/v1/analytics/usage). */
  cost?: number;
  input_tokens: number;
  output_tokens: number;
  /** Whole milliseconds (latency sum / requests, rounded half up). */
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  /** Calls that ended with status >= 400, over all calls, rounded to 4 decimals. */
  error_rate: number;
}

/** The figures of a group; `charged` adds what was charged beside the list price. */
export function showFigures(figures: UsageFigures, charged: boolean): ShownFigures {
  const { requests } = figures;
  return {
    requests,
    estimated_cost: microsToUsd(figures.listCostMicros),
    ...(charged ? { cost: microsToUsd(figures.costMicros) } : {}),
    input_tokens: figures.inputTokens,
    output_tokens: figures.outputTokens,
    avg_latency_ms: requests === 0 ? null : Math.round(figures.latencyMsSum / requests),
    p95_latency_ms: latencyPercentile(figures.latencyHistogram, 0.95) ?? null,
    error_rate: requests === 0 ? 0 : Math.round((figures.errors / requests) * 10_000) / 10_000,
  };
}
