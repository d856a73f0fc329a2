// Hourly rollups through the real write path (the usage recorder's group commit on SQLite) and the latency
// histogram's buckets and percentile reading.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { LATENCY_BUCKET_BOUNDS_MS, LATENCY_BUCKETS, latencyBucket, latencyPercentile, mergeHistograms, rollUp } from "../../src/store/usage-rollup.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { createUsageRecorder } from "../../src/usage/recorder.ts";
import type { StoredUsage } from "../../src/store/repositories/usage.ts";
import { expectedRollups, sortRollups, usageRow, variedRows } from "../store/contract/usage.ts";

const dir = mkdtempSync(join(tmpdir(), "keyway-rollups-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("usage rollups", () => {
  test("rows group-committed by the recorder are rolled up exactly as a group-by of the raw rows says", async () => {
    const store = openStore(join(dir, "k.db"));
    const account = await store.accounts.create("recorder");
    const recorder = createUsageRecorder(store.usage, createLogger("error", () => {}));
    const rows = variedRows(account.id, 700);
    // Calls finishing together share batches; some finish a turn later and go in the next.
    await Promise.all(rows.slice(0, 400).map((row) => recorder.record(row)));
    await Promise.all(rows.slice(400).map(async (row, i) => {
      if (i % 2 === 0) await Bun.sleep(0);
      await recorder.record(row);
    }));
    await recorder.close();
    const raw = await store.usage.recent(account.id, 10_000);
    expect(raw).toHaveLength(700);
    const rollups = await store.usageRollups.between(account.id, 0, Number.MAX_SAFE_INTEGER);
    expect(sortRollups(rollups)).toEqual(sortRollups(expectedRollups(raw)));
    expect(rollups.reduce((sum, r) => sum + r.requests, 0)).toBe(700);
    store.close();
  });

  test("a batch's runs of one key, keys coming back after others, and absent dimensions are summed as a group-by says", () => {
    const varied = variedRows("acct_runs", 40);
    const sums = { inputTokens: 5, outputTokens: 7, costMicros: 11, estimatedCostMicros: 13 };
    // Runs of one key (each row three times over), then the same rows interleaved, then a key differing only in its hour.
    const batch = [
      ...varied.flatMap((row) => [row, { ...row, latencyMs: row.latencyMs + 1 }, { ...row, status: 500 }]),
      ...varied,
      usageRow("acct_runs", { ...sums, createdAt: varied[0]?.createdAt ?? 0 }),
      usageRow("acct_runs", { ...sums, createdAt: (varied[0]?.createdAt ?? 0) + 3_600_000, teamId: null, projectTag: undefined }),
      usageRow("acct_runs", { ...sums, createdAt: varied[0]?.createdAt ?? 0, teamId: null }),
    ];
    const expected = expectedRollups(batch.map((row, id) => ({ ...row, id }) as StoredUsage));
    expect(expected.length).toBeGreaterThan(10);
    expect(sortRollups(rollUp(batch))).toEqual(sortRollups(expected));
    expect(rollUp(batch).reduce((sum, r) => sum + r.requests, 0)).toBe(batch.length);
  });

  test("latency buckets: each bound is inclusive, above the last bound is the open bucket", () => {
    expect(LATENCY_BUCKETS).toBe(31);
    expect([0, 10, 11, 15, 16, 245_760, 245_761, 10_000_000].map(latencyBucket)).toEqual([0, 0, 1, 1, 2, 29, 30, 30]);
    for (let i = 1; i < LATENCY_BUCKET_BOUNDS_MS.length; i++) {
      const ratio = (LATENCY_BUCKET_BOUNDS_MS[i] as number) / (LATENCY_BUCKET_BOUNDS_MS[i - 1] as number);
      expect(ratio).toBeLessThanOrEqual(1.5);
    }
  });

  test("p95 reads as the upper bound of the bucket holding the 95th percent call, within a bucket of the true value", () => {
    const latencies = Array.from({ length: 1_000 }, (_, i) => 20 + i * 3); // 20 .. 3,017 ms
    const histogram = new Array<number>(LATENCY_BUCKETS).fill(0);
    for (const ms of latencies) histogram[latencyBucket(ms)] = (histogram[latencyBucket(ms)] ?? 0) + 1;
    const truth = latencies[Math.ceil(0.95 * latencies.length) - 1] as number; // 2,867
    const p95 = latencyPercentile(histogram, 0.95) as number;
    expect(p95).toBe(3_840);
    expect(p95).toBeGreaterThanOrEqual(truth);
    expect(p95 / truth).toBeLessThanOrEqual(1.5);
    expect(latencyPercentile(new Array<number>(LATENCY_BUCKETS).fill(0), 0.95)).toBeUndefined();
    const open = new Array<number>(LATENCY_BUCKETS).fill(0);
    open[30] = 1;
    expect(latencyPercentile(open, 0.95)).toBe(245_760);
    expect(mergeHistograms([histogram, histogram])).toEqual(histogram.map((n) => 2 * n));
  });
});
