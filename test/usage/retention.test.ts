// The raw usage retention job on a real SQLite store: only rows past retention (whole hours) go, in slices, in
// the background once started; rollups stay.
import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { startUsageRetention } from "../../src/usage/retention.ts";
import { usageRow } from "../store/contract/usage.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_800_000_000_000 + 25 * 60_000; // 25 minutes into an hour
const CUTOFF = Math.floor((NOW - 90 * DAY) / HOUR) * HOUR; // the start of the hour 90 days ago

const dir = mkdtempSync(join(tmpdir(), "keyway-retention-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: Store;
let logs: string[];
let seq = 0;
beforeEach(() => {
  store = openStore(join(dir, `k${++seq}.db`));
  logs = [];
});
afterEach(() => store.close());
const logger = () => createLogger("info", (line) => logs.push(line));

async function seed(accountId: string) {
  const old = [CUTOFF - 40 * DAY, CUTOFF - DAY, CUTOFF - 1, CUTOFF - 2, CUTOFF - HOUR + 1];
  const kept = [CUTOFF, CUTOFF + 1, NOW - 90 * DAY, NOW - DAY, NOW];
  await store.usage.insertMany([...old, ...kept].map((createdAt) => usageRow(accountId, { createdAt, inputTokens: 3, provider: "openai" })));
  return kept;
}

describe("usage retention", () => {
  test("a pass deletes rows before the start of the hour retention_days ago, in slices, and keeps every rollup", async () => {
    const account = await store.accounts.create("retention");
    const kept = await seed(account.id);
    const rollups = await store.usageRollups.between(account.id, 0, Number.MAX_SAFE_INTEGER);
    const retention = startUsageRetention(store.usage, logger(), { retentionDays: 90, sliceSize: 2, intervalMs: 60 * HOUR, now: () => NOW });
    expect(await retention.prune()).toBe(5);
    await retention.stop();
    expect((await store.usage.recent(account.id)).map((r) => r.createdAt).sort((a, b) => a - b)).toEqual(kept);
    expect(await store.usageRollups.between(account.id, 0, Number.MAX_SAFE_INTEGER)).toEqual(rollups);
    expect(rollups.reduce((sum, r) => sum + r.requests, 0)).toBe(10);
    expect(logs.some((line) => line.includes("usage rows past retention deleted") && line.includes('"rows":5'))).toBe(true);
  });

  test("after pruning, a pass sums every day that ended an hour ago into daily rollups; reads answer the same", async () => {
    const account = await store.accounts.create("retention compaction");
    await seed(account.id);
    const hours = [0, Math.ceil(NOW / HOUR)] as const;
    const retention = startUsageRetention(store.usage, logger(), { retentionDays: 90, intervalMs: 60 * HOUR, now: () => NOW, rollups: store.usageRollups });
    await retention.prune();
    await retention.stop();
    const before = await store.usageRollups.between(account.id, ...hours);
    const grouped = await store.usageRollups.grouped(...hours, { accountId: account.id }, ["provider"]);
    expect(grouped).toEqual([expect.objectContaining({ provider: "openai", requests: 10, inputTokens: 30 })]);
    const today = Math.floor(NOW / DAY);
    // Every ended day was summed: nothing is left before today, today is still open.
    expect(await store.usageRollups.compactDays(today, 1_000)).toBe(0);
    expect(await store.usageRollups.compactDays(today + 1, 1_000)).toBe(1);
    expect(await store.usageRollups.grouped(...hours, { accountId: account.id }, ["provider"])).toEqual(grouped);
    expect(await store.usageRollups.between(account.id, ...hours)).toEqual(before);
  });

  test("once started it prunes in the background without being asked, and stops when told", async () => {
    const account = await store.accounts.create("retention background");
    const kept = await seed(account.id);
    const retention = startUsageRetention(store.usage, logger(), { retentionDays: 90, sliceSize: 1, intervalMs: 60 * HOUR, now: () => NOW });
    for (let i = 0; i < 100 && (await store.usage.recent(account.id)).length > kept.length; i++) await Bun.sleep(5);
    expect((await store.usage.recent(account.id)).length).toBe(kept.length);
    await retention.stop();
    await store.usage.insertMany([usageRow(account.id, { createdAt: CUTOFF - DAY })]);
    await Bun.sleep(20);
    expect((await store.usage.recent(account.id)).length).toBe(kept.length + 1);
  });

  test("a stop during a pass ends it after the current slice", async () => {
    const account = await store.accounts.create("retention stop");
    await store.usage.insertMany(Array.from({ length: 50 }, () => usageRow(account.id, { createdAt: CUTOFF - DAY })));
    const retention = startUsageRetention(store.usage, logger(), { retentionDays: 90, sliceSize: 5, intervalMs: 60 * HOUR, now: () => NOW });
    const pass = retention.prune();
    await retention.stop();
    const removed = await pass;
    expect(removed).toBeLessThan(50);
    expect((await store.usage.recent(account.id)).length).toBe(50 - removed);
  });
});

describe("usage.retention_days", () => {
  test("defaults to 90 days and refuses less than one", () => {
    expect(loadConfigFrom({}, join(dir, "keyway.yaml"), {}, knownNames).config.usage.retention_days).toBe(90);
    expect(() => loadConfigFrom({ usage: { retention_days: 0 } }, join(dir, "keyway.yaml"), {}, knownNames)).toThrow(/usage\.retention_days/);
  });
});
