// Store contract, part: daily rollups. Ended UTC days are summed once from the hourly rollups (compactDays); grouped
// reads over them then answer exactly what the hourly rollups (and a group-by of the raw rows) answer, including for
// rows written after their day was summed, and after a rebuild.
import { describe, expect, test } from "bun:test";
import type { UsageDimension } from "../../../src/store/repositories/usage-rollups.ts";
import type { Store } from "../../../src/store/store.ts";
import { expectedGroups, rowsFor, sorted } from "./analytics.ts";

const HOUR = 3_600_000;
/** Days no other part of the suite writes to (2019); hour 432,010 is 10:00 UTC on day 18,000. */
const FIRST_DAY = 18_000;
const FIRST_HOUR = FIRST_DAY * 24 + 10;
const DIMS: UsageDimension[] = ["teamId", "projectTag", "provider", "model", "keySource"];

/** Rows over four days: every fifth hour from 10:00 UTC on FIRST_DAY. */
function rowsOverDays(accountId: string) {
  return Array.from({ length: 18 }, (_, block) => rowsFor(accountId, 20, FIRST_HOUR + block * 5)).flat();
}

export function dailyRollupsContract(store: () => Store): void {
  describe("daily rollups", () => {
    test("after compaction, grouped reads over whole and partial days equal a group-by of the raw rows", async () => {
      const account = await store().accounts.create("daily rollups");
      await store().usage.insertMany(rowsOverDays(account.id));
      const raw = await store().usage.recent(account.id, 10_000);
      const ranges: [number, number][] = [
        [FIRST_HOUR, FIRST_HOUR + 90], // partial first day, two whole days, partial last day
        [FIRST_DAY * 24 + 24, FIRST_DAY * 24 + 72], // exactly two whole days
        [FIRST_HOUR + 3, FIRST_HOUR + 20], // inside the first two days, no whole day
      ];
      const before = [];
      for (const [from, to] of ranges) before.push(await store().usageRollups.grouped(from, to, { accountId: account.id }, DIMS));

      let summed = 0;
      for (let days; (days = await store().usageRollups.compactDays(FIRST_DAY + 3, 2)) > 0; ) summed += days;
      expect(summed).toBeGreaterThanOrEqual(3);
      expect(await store().usageRollups.compactDays(FIRST_DAY + 3, 2)).toBe(0);

      for (const [index, [from, to]] of ranges.entries()) {
        const expected = expectedGroups(raw, { accountId: account.id, from: from * HOUR, to: to * HOUR }, DIMS);
        expect(expected.length).toBeGreaterThan(0);
        const got = await store().usageRollups.grouped(from, to, { accountId: account.id }, DIMS);
        expect(sorted(got)).toEqual(sorted(expected));
        expect(sorted(got)).toEqual(sorted(before[index] ?? []));
      }
      const byProvider = await store().usageRollups.grouped(FIRST_HOUR, FIRST_HOUR + 90, { accountId: account.id, provider: "openai" }, ["provider"]);
      expect(byProvider).toEqual(expectedGroups(raw, { accountId: account.id, provider: "openai", from: FIRST_HOUR * HOUR, to: (FIRST_HOUR + 90) * HOUR }, ["provider"]));
    });

    test("a row written after its day was summed is counted, and a rebuild sums the days again", async () => {
      const account = await store().accounts.create("daily late rows");
      await store().usage.insertMany(rowsOverDays(account.id));
      while ((await store().usageRollups.compactDays(FIRST_DAY + 3, 7)) > 0);
      const late = rowsFor(account.id, 7, FIRST_DAY * 24 + 30).map((row) => ({ ...row, requestId: `${row.requestId}_late` }));
      await store().usage.insertMany(late);
      const raw = await store().usage.recent(account.id, 10_000);
      const whole = { accountId: account.id, from: FIRST_DAY * 24 * HOUR, to: (FIRST_DAY + 3) * 24 * HOUR };
      const read = () => store().usageRollups.grouped(FIRST_DAY * 24, (FIRST_DAY + 3) * 24, { accountId: account.id }, ["provider", "model"]);
      expect(sorted(await read())).toEqual(sorted(expectedGroups(raw, whole, ["provider", "model"])));

      const rebuild = await store().usageRollups.startRebuild();
      for (let after = 0; after < rebuild.lastId; ) after = (await store().usageRollups.rebuildSlice(after, rebuild.lastId, 5_000)).lastId;
      expect(sorted(await read())).toEqual(sorted(expectedGroups(raw, whole, ["provider", "model"])));
      while ((await store().usageRollups.compactDays(FIRST_DAY + 3, 7)) > 0);
      expect(sorted(await read())).toEqual(sorted(expectedGroups(raw, whole, ["provider", "model"])));
    });

    test("late rows written while days are being summed are counted once, in the daily rollups too", async () => {
      const account = await store().accounts.create("daily concurrent");
      const firstDay = FIRST_DAY + 10;
      const hourOf = (day: number) => day * 24 + 3;
      await store().usage.insertMany([0, 1, 2, 3].flatMap((d) => rowsFor(account.id, 10, hourOf(firstDay + d))));
      const compaction = (async () => {
        while ((await store().usageRollups.compactDays(firstDay + 4, 1)) > 0);
      })();
      const late = Array.from({ length: 16 }, (_, i) =>
        store().usage.insertMany(rowsFor(account.id, 5, hourOf(firstDay + (i % 4))).map((row) => ({ ...row, requestId: `${row.requestId}_c${i}` }))),
      );
      await Promise.all([compaction, ...late]);
      const raw = await store().usage.recent(account.id, 10_000);
      expect(raw).toHaveLength(40 + 16 * 5);
      const whole = { accountId: account.id, from: firstDay * 24 * HOUR, to: (firstDay + 4) * 24 * HOUR };
      const got = await store().usageRollups.grouped(firstDay * 24, (firstDay + 4) * 24, { accountId: account.id }, DIMS);
      expect(sorted(got)).toEqual(sorted(expectedGroups(raw, whole, DIMS)));
    });
  });
}
