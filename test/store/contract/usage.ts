// Store contract, part: usage rows and their hourly rollups (accumulation, absent team/project keys, filters,
// pruning, rebuild from raw rows).
import { describe, expect, test } from "bun:test";
import type { StoredUsage, UsageRecord } from "../../../src/store/repositories/usage.ts";
import type { UsageRollup } from "../../../src/store/repositories/usage-rollups.ts";
import type { Store } from "../../../src/store/store.ts";
import { LATENCY_BUCKET_BOUNDS_MS } from "../../../src/store/usage-rollup.ts";

const HOUR = 3_600_000;
const BASE_HOUR = 490_000;

/** The rollups of `rows`, computed here independently of the store: a plain group-by over the raw rows. */
export function expectedRollups(rows: readonly StoredUsage[]): UsageRollup[] {
  const groups = new Map<string, UsageRollup>();
  for (const row of rows) {
    const parts = {
      hour: Math.floor(row.createdAt / HOUR), accountId: row.accountId, teamId: row.teamId ?? "", projectTag: row.projectTag ?? "",
      provider: row.provider ?? "", model: row.model ?? "", keySource: row.keySource ?? "",
    };
    const key = JSON.stringify(parts);
    const group = groups.get(key) ?? {
      ...parts, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costMicros: 0, listCostMicros: 0, latencyMsSum: 0,
      latencyHistogram: Array(LATENCY_BUCKET_BOUNDS_MS.length + 1).fill(0),
    };
    group.requests++;
    group.errors += row.status >= 400 ? 1 : 0;
    group.inputTokens += row.inputTokens;
    group.outputTokens += row.outputTokens;
    group.costMicros += row.costMicros;
    group.listCostMicros += row.estimatedCostMicros;
    group.latencyMsSum += row.latencyMs;
    const bucket = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => row.latencyMs <= bound);
    group.latencyHistogram[bucket === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : bucket]++;
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function sortRollups(rollups: readonly UsageRollup[]): UsageRollup[] {
  const key = (r: UsageRollup) => [String(r.hour).padStart(12, "0"), r.accountId, r.teamId, r.projectTag, r.provider, r.model, r.keySource].join("|");
  return [...rollups].sort((a, b) => key(a).localeCompare(key(b)));
}

let serial = 0;
export function usageRow(accountId: string, fields: Partial<UsageRecord> = {}): UsageRecord {
  serial++;
  return {
    requestId: `req_${serial}`, accountId, apiKeyId: "key_u", endpoint: "/v1/chat/completions", byok: false, status: 200, attempts: 1,
    latencyMs: 100, createdAt: BASE_HOUR * HOUR, ...fields,
  };
}

/** A varied set of rows over three hours: teams and no team, projects and none, errors, every latency range. */
export function variedRows(accountId: string, count: number): UsageRecord[] {
  const latencies = [0, 7, 10, 11, 95, 480, 481, 2_000, 30_000, 400_000];
  return Array.from({ length: count }, (_, i) =>
    usageRow(accountId, {
      teamId: i % 3 === 0 ? null : `team_${i % 2}`,
      projectTag: i % 4 === 0 ? undefined : "proj",
      provider: i % 5 === 0 ? "anthropic" : "openai",
      model: i % 5 === 0 ? "claude" : "gpt",
      keySource: i % 2 === 0 ? "stored" : "platform",
      byok: i % 2 === 0,
      status: i % 7 === 0 ? 502 : i % 11 === 0 ? 400 : 200,
      inputTokens: 10 + i,
      outputTokens: 3 * i,
      costMicros: i % 2 === 0 ? 0 : 17 * i,
      estimatedCostMicros: 17 * i + 1,
      latencyMs: latencies[i % latencies.length] as number,
      createdAt: (BASE_HOUR + (i % 3)) * HOUR + ((i * 7_919) % HOUR),
    }),
  );
}

export function usageContract(store: () => Store): void {
  describe("usage and rollups", () => {
    test("a batch's rollups equal a group-by of the raw rows written", async () => {
      const account = await store().accounts.create("usage rollups");
      await store().usage.insertMany(variedRows(account.id, 60));
      const raw = await store().usage.recent(account.id, 1_000);
      expect(raw).toHaveLength(60);
      const rollups = await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3);
      expect(sortRollups(rollups)).toEqual(sortRollups(expectedRollups(raw)));
      expect(rollups.map((r) => r.hour)).toEqual([...rollups.map((r) => r.hour)].sort((a, b) => a - b));
    });

    test("upserts accumulate across batches; rows without team or project share one key, apart from those with one", async () => {
      const account = await store().accounts.create("usage accumulate");
      const none = { teamId: null, projectTag: null, provider: "openai", model: "gpt", keySource: "stored" };
      await store().usage.insertMany([usageRow(account.id, { ...none, inputTokens: 5, latencyMs: 12 }), usageRow(account.id, { ...none, teamId: "team_a", inputTokens: 1 })]);
      await store().usage.insertMany([usageRow(account.id, { ...none, inputTokens: 7, status: 429, costMicros: 3, latencyMs: 5_000 })]);
      await store().usage.insertMany([usageRow(account.id, { ...none, projectTag: undefined, teamId: undefined, inputTokens: 1, latencyMs: 12 })]);
      const rollups = await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 1);
      expect(rollups).toHaveLength(2);
      const anonymous = rollups.find((r) => r.teamId === "");
      expect(anonymous).toMatchObject({ projectTag: "", requests: 3, errors: 1, inputTokens: 13, costMicros: 3, latencyMsSum: 5_024 });
      expect(anonymous?.latencyHistogram[1]).toBe(2); // 12 ms: (10, 15]
      expect(anonymous?.latencyHistogram[18]).toBe(1); // 5,000 ms: (3,840, 5,120]
      expect(anonymous?.latencyHistogram.reduce((a, b) => a + b, 0)).toBe(3);
      expect(rollups.find((r) => r.teamId === "team_a")).toMatchObject({ projectTag: "", requests: 1, inputTokens: 1, errors: 0 });
    });

    test("concurrent batches adding to the same rollups (keys in different orders) lose no increment", async () => {
      const account = await store().accounts.create("usage concurrent");
      // The current hour: the usual write, of a day no compaction may have summed yet.
      const now = Date.now();
      const hour = Math.floor(now / HOUR);
      const keys = [
        { teamId: null, provider: "openai" }, { teamId: "team_c", provider: "openai" }, { teamId: "team_c", provider: "anthropic" },
        { teamId: null, provider: "anthropic" },
      ];
      const batches = Array.from({ length: 24 }, (_, b) =>
        Array.from({ length: 40 }, (_, i) => {
          const key = keys[(b % 2 === 0 ? i : 39 - i) % keys.length] as (typeof keys)[number];
          return usageRow(account.id, { ...key, model: "m", keySource: "stored", inputTokens: b + i, costMicros: 3 * b + i, latencyMs: 5 * i, createdAt: hour * HOUR + ((b * 40 + i) % HOUR) });
        }),
      );
      await Promise.all(batches.map((batch) => store().usage.insertMany(batch)));
      const raw = await store().usage.recent(account.id, 10_000);
      expect(raw).toHaveLength(24 * 40);
      const rollups = await store().usageRollups.between(account.id, hour, hour + 1);
      expect(sortRollups(rollups)).toEqual(sortRollups(expectedRollups(raw)));
      expect(rollups.reduce((sum, r) => sum + r.requests, 0)).toBe(24 * 40);
      expect(rollups.reduce((sum, r) => sum + r.inputTokens, 0)).toBe(batches.flat().reduce((sum, r) => sum + (r.inputTokens ?? 0), 0));
    });

    test("a rebuild started while batches are being written counts every row once", async () => {
      const account = await store().accounts.create("usage rebuild concurrent");
      const hour = Math.floor(Date.now() / HOUR);
      const batch = (writer: number, b: number) =>
        Array.from({ length: 15 }, (_, i) =>
          usageRow(account.id, { teamId: i % 2 === 0 ? null : "team_r", provider: "openai", model: "m", keySource: "platform", inputTokens: writer * 100 + b * 10 + i, latencyMs: 7 * i, createdAt: hour * HOUR + writer * 1_000 + b * 15 + i }),
        );
      let firstWritten!: () => void;
      const started = new Promise<void>((resolve) => (firstWritten = resolve));
      const writers = Array.from({ length: 4 }, async (_, writer) => {
        for (let b = 0; b < 8; b++) {
          await store().usage.insertMany(batch(writer, b));
          if (b === 1) firstWritten();
        }
      });
      const rebuild = started.then(async () => {
        const plan = await store().usageRollups.startRebuild();
        for (let after = 0; after < plan.lastId; ) after = (await store().usageRollups.rebuildSlice(after, plan.lastId, 50)).lastId;
      });
      await Promise.all([...writers, rebuild]);
      const raw = await store().usage.recent(account.id, 10_000);
      expect(raw).toHaveLength(4 * 8 * 15);
      expect(sortRollups(await store().usageRollups.between(account.id, hour, hour + 1))).toEqual(sortRollups(expectedRollups(raw)));
    });

    test("between reads [from, to) hours of one account, filtered by team or provider", async () => {
      const account = await store().accounts.create("usage filters");
      const other = await store().accounts.create("usage other");
      await store().usage.insertMany([...variedRows(account.id, 30), ...variedRows(other.id, 5)]);
      const all = await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3);
      expect(new Set(all.map((r) => r.accountId))).toEqual(new Set([account.id]));
      expect(new Set(all.map((r) => r.hour))).toEqual(new Set([BASE_HOUR, BASE_HOUR + 1, BASE_HOUR + 2]));
      const middle = await store().usageRollups.between(account.id, BASE_HOUR + 1, BASE_HOUR + 2);
      expect(middle).toEqual(all.filter((r) => r.hour === BASE_HOUR + 1));
      expect(await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3, { teamId: "team_1" })).toEqual(all.filter((r) => r.teamId === "team_1"));
      expect(await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3, { teamId: "" })).toEqual(all.filter((r) => r.teamId === ""));
      const anthropic = await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3, { provider: "anthropic", teamId: "team_0" });
      expect(anthropic.length).toBeGreaterThan(0);
      expect(anthropic).toEqual(all.filter((r) => r.provider === "anthropic" && r.teamId === "team_0"));
      expect(await store().usageRollups.between(account.id, BASE_HOUR + 3, BASE_HOUR + 9)).toEqual([]);
    });

    test("pruneBefore deletes at most `limit` rows older than the cutoff and leaves rollups alone", async () => {
      const account = await store().accounts.create("usage prune");
      const old = (BASE_HOUR - 1_000) * HOUR;
      await store().usage.insertMany([
        usageRow(account.id, { createdAt: old }), usageRow(account.id, { createdAt: old + 1 }), usageRow(account.id, { createdAt: old + 2 }),
        usageRow(account.id, { createdAt: BASE_HOUR * HOUR }),
      ]);
      const rollups = await store().usageRollups.between(account.id, 0, BASE_HOUR + 1);
      // Rows other parts of the suite wrote at earlier times go first, so the counts below are this test's rows.
      await store().usage.pruneBefore(old, 1_000_000);
      expect(await store().usage.pruneBefore(old + HOUR, 2)).toBe(2);
      expect(await store().usage.pruneBefore(old + HOUR, 2)).toBe(1);
      expect(await store().usage.pruneBefore(old + HOUR, 2)).toBe(0);
      expect((await store().usage.recent(account.id)).map((r) => r.createdAt)).toEqual([BASE_HOUR * HOUR]);
      expect(await store().usageRollups.between(account.id, 0, BASE_HOUR + 1)).toEqual(rollups);
    });

    test("a rebuild from raw rows restores the rollups written incrementally and keeps hours without raw rows", async () => {
      const account = await store().accounts.create("usage rebuild");
      await store().usage.insertMany(variedRows(account.id, 40));
      await store().usage.insertMany(variedRows(account.id, 25));
      await store().usage.pruneBefore(BASE_HOUR * HOUR, 1_000_000); // earlier parts' old rows: their rollups must survive
      const before = await store().usageRollups.between(account.id, 0, BASE_HOUR + 3);
      const everyAccountBefore = await store().usageRollups.between(account.id, 0, BASE_HOUR - 1);
      const rebuild = await store().usageRollups.startRebuild();
      expect(rebuild.fromHour).toBe(BASE_HOUR);
      expect(await store().usageRollups.between(account.id, BASE_HOUR, BASE_HOUR + 3)).toEqual([]);
      let done = 0;
      for (let afterId = 0; afterId < rebuild.lastId; ) {
        const slice = await store().usageRollups.rebuildSlice(afterId, rebuild.lastId, 7);
        expect(slice.rows).toBeLessThanOrEqual(7);
        afterId = slice.lastId;
        done += slice.rows;
      }
      expect(done).toBe(rebuild.total);
      expect(await store().usageRollups.between(account.id, 0, BASE_HOUR + 3)).toEqual(before);
      expect(await store().usageRollups.between(account.id, 0, BASE_HOUR - 1)).toEqual(everyAccountBefore);
    });
  });
}
