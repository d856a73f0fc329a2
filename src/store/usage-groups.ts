// Summing usage groups: groups from several reads (rollups and raw rows) merged per key, and regrouped along
// fewer dimensions. Every sum is an integer (micro-USD, tokens, counts, histogram buckets).
import type { UsageDimension, UsageFigures, UsageGroup, UsageSums } from "./repositories/usage-rollups.ts";
import { LATENCY_BUCKETS } from "./usage-rollup.ts";

export function emptySums(): UsageSums {
  return { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costMicros: 0, listCostMicros: 0, latencyMsSum: 0 };
}

export function emptyFigures(): UsageFigures {
  return { ...emptySums(), latencyHistogram: new Array<number>(LATENCY_BUCKETS).fill(0) };
}

/** Adds `from`'s sums into `into` (in place). */
export function addSums(into: UsageSums, from: UsageSums): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.costMicros += from.costMicros;
  into.listCostMicros += from.listCostMicros;
  into.latencyMsSum += from.latencyMsSum;
}

/** Adds `from`'s figures, histogram included, into `into` (in place). */
export function addFigures(into: UsageFigures, from: UsageFigures): void {
  addSums(into, from);
  for (let i = 0; i < LATENCY_BUCKETS; i++) into.latencyHistogram[i] = (into.latencyHistogram[i] ?? 0) + (from.latencyHistogram[i] ?? 0);
}

/** The groups summed per distinct value of `dimensions` (absent values ''), in first-seen order. */
export function regroup(groups: readonly UsageGroup[], dimensions: readonly UsageDimension[]): UsageGroup[] {
  const merged = new Map<string, UsageGroup>();
  for (const group of groups) {
    const key = dimensions.map((d) => group[d] ?? "").join("\u0000");
    let target = merged.get(key);
    if (target === undefined) {
      target = emptyFigures();
      for (const d of dimensions) target[d] = group[d] ?? "";
      merged.set(key, target);
    }
    addFigures(target, group);
  }
  return [...merged.values()];
}

/** Everything summed into one set of figures. */
export function total(groups: readonly UsageFigures[]): UsageFigures {
  const sum = emptyFigures();
  for (const group of groups) addFigures(sum, group);
  return sum;
}
