// Store contract, part: grouped usage reads for analytics: the rollups' `grouped` (whole hours) and the raw rows'
// `aggregate` (any [from, to), optionally one keyway key), each checked against a group-by computed here over the
// rows written, with every filter, no dimension, every account, and past pruning.
import { describe, expect, test } from "bun:test";
import type { StoredUsage, UsageRecord } from "../../../src/store/repositories/usage.ts";
import type { UsageDimension, UsageGroup, UsageSlice } from "../../../src/store/repositories/usage-rollups.ts";
import type { Store } from "../../../src/store/store.ts";
import { usageRow } from "./usage.ts";

const HOUR = 3_600_000;
/** Hours no other part of the suite writes to. */
const FIRST_HOUR = 493_000;
const BOUNDS = [10, 15, 20, 30, 40, 60, 80, 120, 160, 240, 320, 480, 640, 960, 1_280, 1_920, 2_560, 3_840, 5_120, 7_680, 10_240, 15_360, 20_480, 30_720, 40_960, 61_440, 81_920, 122_880, 163_840, 245_760];

type Filter = UsageSlice & { apiKeyId?: string; from: number; to: number };

/** The expected groups, computed over the rows themselves: a filter, then a plain group-by. */
export function expectedGroups(rows: readonly StoredUsage[], filter: Filter, groupBy: readonly UsageDimension[]): UsageGroup[] {
  const value = (row: StoredUsage, d: UsageDimension) => row[d] ?? "";
  const kept = rows.filter(
    (row) =>
      row.createdAt >= filter.from &&
      row.createdAt < filter.to &&
      (filter.accountId === undefined || row.accountId === filter.accountId) &&
      (filter.apiKeyId === undefined || row.apiKeyId === filter.apiKeyId) &&
      (filter.teamId === undefined || value(row, "teamId") === filter.teamId) &&
      (filter.projectTag === undefined || value(row, "projectTag") === filter.projectTag) &&
      (filter.provider === undefined || value(row, "provider") === filter.provider) &&
      (filter.keySources === undefined || filter.keySources.includes(value(row, "keySource"))),
  );
  const groups = new Map<string, UsageGroup>();
  for (const row of kept) {
    const key = groupBy.map((d) => value(row, d)).join("|");
    const group: UsageGroup = groups.get(key) ?? {
      ...Object.fromEntries(groupBy.map((d) => [d, value(row, d)])),
      requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costMicros: 0, listCostMicros: 0, latencyMsSum: 0,
      latencyHistogram: Array(BOUNDS.length + 1).fill(0),
    };
    group.requests++;
    if (row.status >= 400) group.errors++;
    group.inputTokens += row.inputTokens;
    group.outputTokens += row.outputTokens;
    group.costMicros += row.costMicros;
    group.listCostMicros += row.estimatedCostMicros;
    group.latencyMsSum += row.latencyMs;
    const bucket = BOUNDS.findIndex((bound) => row.latencyMs <= bound);
    group.latencyHistogram[bucket === -1 ? BOUNDS.length : bucket] = (group.latencyHistogram[bucket === -1 ? BOUNDS.length : bucket] ?? 0) + 1;
    groups.set(key, group);
  }
  return [...groups.values()];
}

export const sorted = (groups: readonly UsageGroup[]) =>
  [...groups].sort((a, b) => JSON.stringify([a.teamId, a.projectTag, a.provider, a.model, a.keySource]).localeCompare(JSON.stringify([b.teamId, b.projectTag, b.provider, b.model, b.keySource])));

/** Rows over five hours starting at `firstHour`: two keys, teams and none, projects and none, three providers, every key source. */
export function rowsFor(accountId: string, count: number, firstHour: number): UsageRecord[] {
  const latencies = [0, 9, 10, 11, 140, 480, 481, 2_000, 30_000, 300_000];
  return Array.from({ length: count }, (_, i) =>
    usageRow(accountId, {
      apiKeyId: i % 4 === 0 ? "key_dev" : "key_other",
      teamId: i % 3 === 0 ? null : `team_${i % 2}`,
      projectTag: i % 5 === 0 ? null : `proj_${i % 3}`,
      provider: ["openai", "anthropic", "gemini"][i % 3],
      model: i % 3 === 0 ? (i % 2 === 0 ? "gpt-a" : "gpt-b") : "m",
      keySource: ["request", "stored", "platform"][i % 3 === 1 ? 2 : i % 2],
      byok: i % 3 !== 1,
      status: i % 9 === 0 ? 500 : i % 13 === 0 ? 429 : 200,
      inputTokens: 3 * i + 1,
      outputTokens: 2 * i,
      costMicros: i % 3 === 1 ? 11 * i + 7 : 0,
      estimatedCostMicros: 10 * i + 3,
      latencyMs: latencies[i % latencies.length] as number,
      createdAt: (firstHour + (i % 5)) * HOUR + ((i * 104_729) % HOUR),
    }),
  );
}

export function analyticsContract(store: () => Store): void {
  describe("grouped usage reads", () => {
    test("rollups grouped by any dimensions equal a group-by of the raw rows of those hours", async () => {
      const account = await store().accounts.create("grouped rollups");
      await store().usage.insertMany(rowsFor(account.id, 120, FIRST_HOUR));
      const raw = await store().usage.recent(account.id, 1_000);
      const whole = { accountId: account.id, from: FIRST_HOUR * HOUR, to: (FIRST_HOUR + 5) * HOUR };
      for (const groupBy of [["provider"], ["provider", "model"], ["teamId", "projectTag"], ["keySource"], ["teamId", "projectTag", "provider", "model", "keySource"]] as UsageDimension[][]) {
        const got = await store().usageRollups.grouped(FIRST_HOUR, FIRST_HOUR + 5, { accountId: account.id }, groupBy);
        expect(sorted(got)).toEqual(sorted(expectedGroups(raw, whole, groupBy)));
      }
      // Hours [1, 3) only.
      const middle = await store().usageRollups.grouped(FIRST_HOUR + 1, FIRST_HOUR + 3, { accountId: account.id }, ["provider"]);
      expect(sorted(middle)).toEqual(sorted(expectedGroups(raw, { ...whole, from: (FIRST_HOUR + 1) * HOUR, to: (FIRST_HOUR + 3) * HOUR }, ["provider"])));
    });

    test("filters: team (and '' for none), project, provider, key sources (none matches nothing); no dimension is one group", async () => {
      const account = await store().accounts.create("grouped filters");
      await store().usage.insertMany(rowsFor(account.id, 90, FIRST_HOUR + 10));
      const raw = await store().usage.recent(account.id, 1_000);
      const hours = [FIRST_HOUR + 10, FIRST_HOUR + 15] as const;
      const range = { from: hours[0] * HOUR, to: hours[1] * HOUR };
      const slices: UsageSlice[] = [
        { teamId: "team_1" }, { teamId: "" }, { projectTag: "proj_2" }, { projectTag: "" }, { provider: "anthropic" },
        { keySources: ["request", "stored"] }, { keySources: ["platform"] }, { teamId: "team_0", provider: "gemini", keySources: ["request"] },
      ];
      for (const slice of slices) {
        const full = { ...slice, accountId: account.id };
        const expected = expectedGroups(raw, { ...full, ...range }, ["provider", "model"]);
        expect(expected.length).toBeGreaterThan(0);
        expect(sorted(await store().usageRollups.grouped(...hours, full, ["provider", "model"]))).toEqual(sorted(expected));
      }
      expect(await store().usageRollups.grouped(...hours, { accountId: account.id, keySources: [] }, ["provider"])).toEqual([]);
      const one = await store().usageRollups.grouped(...hours, { accountId: account.id }, []);
      expect(one).toEqual(expectedGroups(raw, { accountId: account.id, ...range }, []));
      expect(one[0]?.requests).toBe(90);
      expect(await store().usageRollups.grouped(hours[1], hours[1] + 10, { accountId: account.id }, [])).toEqual([]);
      expect(await store().usageRollups.grouped(...hours, { accountId: account.id, provider: "nobody" }, ["provider"])).toEqual([]);
    });

    test("without an account, every account's usage is summed", async () => {
      const first = await store().accounts.create("grouped all a");
      const second = await store().accounts.create("grouped all b");
      const hour = FIRST_HOUR + 5_000;
      await store().usage.insertMany([...rowsFor(first.id, 40, hour), ...rowsFor(second.id, 25, hour)]);
      const raw = [...(await store().usage.recent(first.id, 1_000)), ...(await store().usage.recent(second.id, 1_000))];
      const got = await store().usageRollups.grouped(hour, hour + 5, {}, ["provider"]);
      expect(sorted(got)).toEqual(sorted(expectedGroups(raw, { from: hour * HOUR, to: (hour + 5) * HOUR }, ["provider"])));
      expect(got.reduce((sum, g) => sum + g.requests, 0)).toBe(65);
    });

    test("raw rows aggregate over any [from, to) to the millisecond, per key, with the same filters", async () => {
      const account = await store().accounts.create("aggregate raw");
      await store().usage.insertMany(rowsFor(account.id, 150, FIRST_HOUR + 20));
      const raw = await store().usage.recent(account.id, 1_000);
      const from = (FIRST_HOUR + 20) * HOUR + 25 * 60_000; // 20:25
      const to = (FIRST_HOUR + 23) * HOUR + 40 * 60_000 + 1; // 23:40:00.001
      const cases: Filter[] = [
        { accountId: account.id, from, to },
        { accountId: account.id, from, to, apiKeyId: "key_dev" },
        { accountId: account.id, from, to, apiKeyId: "key_dev", teamId: "team_0", keySources: ["request", "stored"] },
        { accountId: account.id, from, to, projectTag: "", provider: "openai" },
        { accountId: account.id, from: from + 1, to: to - 1 },
      ];
      for (const { from: f, to: t, ...slice } of cases) {
        for (const groupBy of [["provider", "model"], ["teamId", "keySource"], []] as UsageDimension[][]) {
          const expected = expectedGroups(raw, { ...slice, from: f, to: t }, groupBy);
          expect(expected.length).toBeGreaterThan(0);
          expect(sorted(await store().usage.aggregate(f, t, slice, groupBy))).toEqual(sorted(expected));
        }
      }
      expect(await store().usage.aggregate(from, to, { accountId: account.id, apiKeyId: "nobody" }, ["provider"])).toEqual([]);
      expect(await store().usage.aggregate(from, to, { accountId: account.id, keySources: [] }, [])).toEqual([]);
    });

    test("whole hours read from rollups and raw rows agree; after pruning only the rollups remain", async () => {
      const account = await store().accounts.create("aggregate pruned");
      const hour = FIRST_HOUR + 30;
      await store().usage.insertMany(rowsFor(account.id, 60, hour));
      const dims: UsageDimension[] = ["teamId", "projectTag", "provider", "model", "keySource"];
      const fromRaw = await store().usage.aggregate(hour * HOUR, (hour + 5) * HOUR, { accountId: account.id }, dims);
      const fromRollups = await store().usageRollups.grouped(hour, hour + 5, { accountId: account.id }, dims);
      expect(sorted(fromRaw)).toEqual(sorted(fromRollups));
      // Prune everything up to this test's last hour (other parts' rows at earlier hours go too).
      while ((await store().usage.pruneBefore((hour + 5) * HOUR, 10_000)) > 0);
      expect(await store().usage.aggregate(hour * HOUR, (hour + 5) * HOUR, { accountId: account.id }, dims)).toEqual([]);
      expect(sorted(await store().usageRollups.grouped(hour, hour + 5, { accountId: account.id }, dims))).toEqual(sorted(fromRollups));
    });
  });
}
