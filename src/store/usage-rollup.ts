// Hourly usage rollups, dialect-neutral: the rollup key of a raw row, the latency histogram's buckets, and the
// aggregation of a batch of rows in memory (one entry per distinct key) that a driver then upserts.
import type { UsageRecord } from "./repositories/usage.ts";
import type { UsageRollup } from "./repositories/usage-rollups.ts";

export const HOUR_MS = 3_600_000;
export const DAY_HOURS = 24;

/**
 * Upper bounds (inclusive, ms) of the latency buckets; one more bucket holds everything above the last bound.
 * Neighbouring bounds differ by x1.5 or x1.33 (alternately), so a percentile read as its bucket's upper bound is
 * at most 50% above the true value (at most 10 ms above it in the first bucket).
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [
  10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960, 1_280, 1_920, 2_560, 3_840, 5_120, 7_680, 10_240, 15_360,
  20_480, 30_720, 40_960, 61_440, 81_920, 122_880, 163_840, 245_760,
];

export const LATENCY_BUCKETS = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** The name under which a driver keeps bucket `i`'s count (a column each: latencyBucket0, ...). */
export function latencyBucketField(i: number): `latencyBucket${number}` {
  return `latencyBucket${i}`;
}

export function epochHour(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/**
 * SQL (any dialect) true when the latency column `latency` falls in bucket `i`: (bound[i-1], bound[i]]; the first
 * bucket everything up to its bound, the last everything above the last bound.
 */
export function latencyBucketSql(latency: string, i: number): string {
  const upper = LATENCY_BUCKET_BOUNDS_MS[i];
  const lower = LATENCY_BUCKET_BOUNDS_MS[i - 1];
  if (lower === undefined) return `${latency} <= ${upper}`;
  if (upper === undefined) return `${latency} > ${lower}`;
  return `${latency} > ${lower} AND ${latency} <= ${upper}`;
}

/** The index of the bucket holding `latencyMs` (binary search over the bounds). */
export function latencyBucket(latencyMs: number): number {
  let low = 0;
  let high = LATENCY_BUCKET_BOUNDS_MS.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (latencyMs <= (LATENCY_BUCKET_BOUNDS_MS[middle] as number)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The latency under which a fraction `q` (0.95 for p95) of the calls fell, read as the upper bound of the bucket
 * holding that call (the last, open bucket answers its lower bound); undefined for an empty histogram.
 */
export function latencyPercentile(histogram: readonly number[], q: number): number | undefined {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket] as number;
    if (seen >= rank) return LATENCY_BUCKET_BOUNDS_MS[bucket] ?? LATENCY_BUCKET_BOUNDS_MS.at(-1);
  }
  return LATENCY_BUCKET_BOUNDS_MS.at(-1);
}

/** Sums histograms bucket by bucket (to read a percentile over several rollups). */
export function mergeHistograms(histograms: readonly (readonly number[])[]): number[] {
  const merged = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const histogram of histograms) for (let i = 0; i < LATENCY_BUCKETS; i++) merged[i] = (merged[i] as number) + (histogram[i] ?? 0);
  return merged;
}

type RowForRollup = Pick<UsageRecord, "accountId" | "teamId" | "projectTag" | "provider" | "model" | "keySource" | "status" | "inputTokens" | "outputTokens" | "costMicros" | "estimatedCostMicros" | "latencyMs" | "createdAt">;

/** The batch's rows summed per rollup key: one rollup per distinct key, ready to be added to the stored ones. */
export function rollUp(rows: readonly RowForRollup[]): UsageRollup[] {
  const byKey = new Map<string, UsageRollup>();
  let last: UsageRollup | undefined;
  for (const row of rows) {
    const hour = epochHour(row.createdAt);
    const teamId = row.teamId ?? "";
    const projectTag = row.projectTag ?? "";
    const provider = row.provider ?? "";
    const model = row.model ?? "";
    const keySource = row.keySource ?? "";
    // A batch's rows mostly share the key of the row before: that is compared field by field, without building the key.
    const same =
      last !== undefined && last.hour === hour && last.accountId === row.accountId && last.teamId === teamId && last.projectTag === projectTag &&
      last.provider === provider && last.model === model && last.keySource === keySource;
    const key = same ? "" : `${hour}\u0000${row.accountId}\u0000${teamId}\u0000${projectTag}\u0000${provider}\u0000${model}\u0000${keySource}`;
    let rollup = same ? last : byKey.get(key);
    if (rollup === undefined) {
      rollup = {
        hour, accountId: row.accountId, teamId, projectTag, provider, model, keySource, requests: 0, errors: 0, inputTokens: 0,
        outputTokens: 0, costMicros: 0, listCostMicros: 0, latencyMsSum: 0, latencyHistogram: new Array<number>(LATENCY_BUCKETS).fill(0),
      };
      byKey.set(key, rollup);
    }
    rollup.requests += 1;
    if (row.status >= 400) rollup.errors += 1;
    rollup.inputTokens += row.inputTokens ?? 0;
    rollup.outputTokens += row.outputTokens ?? 0;
    rollup.costMicros += row.costMicros ?? 0;
    rollup.listCostMicros += row.estimatedCostMicros ?? 0;
    rollup.latencyMsSum += row.latencyMs;
    const bucket = latencyBucket(row.latencyMs);
    rollup.latencyHistogram[bucket] = (rollup.latencyHistogram[bucket] as number) + 1;
    last = rollup;
  }
  return [...byKey.values()];
}
