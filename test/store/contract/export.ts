// Store contract, part: keyset pages of raw usage rows for exports (usage.pageForExport): period bounds, order,
// ties across page boundaries, and each filter.
import { describe, expect, test } from "bun:test";
import type { StoredUsage, UsageCursor, UsagePageFilter, UsageRecord } from "../../../src/store/repositories/usage.ts";
import type { Store } from "../../../src/store/store.ts";

const HOUR = 3_600_000;
/** Far from the hours other contract parts write, so an all-accounts page sees only this part's rows. */
const BASE = 700_000 * HOUR;

let serial = 0;
function row(accountId: string, createdAt: number, fields: Partial<UsageRecord> = {}): UsageRecord {
  serial++;
  return {
    requestId: `req_export_${serial}`, accountId, apiKeyId: "key_x", endpoint: "/v1/chat/completions", byok: false, status: 200,
    attempts: 1, latencyMs: 40 + serial, createdAt, ...fields,
  };
}

/** Every page of a filter, `limit` rows at a time, concatenated. */
async function allPages(store: Store, filter: UsagePageFilter, limit: number): Promise<{ rows: StoredUsage[]; pages: number }> {
  const rows: StoredUsage[] = [];
  let after: UsageCursor | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.usage.pageForExport(filter, after, limit);
    expect(page.length).toBeLessThanOrEqual(limit);
    if (page.length === 0) return { rows, pages };
    pages++;
    rows.push(...page);
    const last = page.at(-1) as StoredUsage;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

const byTimeThenId = (a: StoredUsage, b: StoredUsage) => a.createdAt - b.createdAt || a.id - b.id;

export function exportContract(store: () => Store): void {
  describe("usage export pages", () => {
    test("pages hold exactly the period's rows of the account, in (createdAt, id) order, ties split across pages", async () => {
      const account = await store().accounts.create("export pages");
      const other = await store().accounts.create("export pages other");
      const from = BASE + 5 * HOUR;
      const to = from + 2 * HOUR;
      // Written out of time order, with runs of identical timestamps longer than a page.
      const times = [to + 1, from + 7, from, from + 7, from - 1, to - 1, from + 7, from + 7, from + 7, to, from + 3, from + 7, HOUR + from];
      await store().usage.insertMany(times.map((at) => row(account.id, at)));
      await store().usage.insertMany([row(other.id, from + 7), row(other.id, from + 8)]);
      const everything = await store().usage.recent(account.id, 1_000);
      const expected = everything.filter((r) => r.createdAt >= from && r.createdAt < to).sort(byTimeThenId);
      expect(expected).toHaveLength(10);
      for (const limit of [1, 3, 4, 10, 1_000]) {
        const { rows, pages } = await allPages(store(), { from, to, accountId: account.id }, limit);
        expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
        expect(pages).toBe(Math.ceil(expected.length / limit));
      }
      const [first] = await store().usage.pageForExport({ from, to, accountId: account.id }, undefined, 1);
      expect(first).toEqual(expected[0] as StoredUsage);
      const last = expected.at(-1) as StoredUsage;
      expect(await store().usage.pageForExport({ from, to, accountId: account.id }, { createdAt: last.createdAt, id: last.id }, 10)).toEqual([]);
    });

    test("rows come back whole: booleans as booleans, absent fields as null", async () => {
      const account = await store().accounts.create("export fields");
      const at = BASE + 20 * HOUR;
      await store().usage.insertMany([
        row(account.id, at, {
          teamId: "team_f", projectTag: "proj", provider: "openai", model: "gpt-x", keySource: "stored", byok: true, usageEstimated: true,
          status: 502, inputTokens: 11, outputTokens: 22, costMicros: 0, estimatedCostMicros: 1_234_567, latencyMs: 321,
        }),
        row(account.id, at + 1),
      ]);
      const [full, bare] = await store().usage.pageForExport({ from: at, to: at + 2, accountId: account.id }, undefined, 10);
      expect(full).toMatchObject({
        accountId: account.id, apiKeyId: "key_x", teamId: "team_f", projectTag: "proj", provider: "openai", model: "gpt-x", keySource: "stored",
        byok: true, usageEstimated: true, status: 502, inputTokens: 11, outputTokens: 22, costMicros: 0, estimatedCostMicros: 1_234_567,
        latencyMs: 321, createdAt: at, endpoint: "/v1/chat/completions", attempts: 1,
      });
      expect(typeof full?.id).toBe("number");
      expect(bare).toMatchObject({ teamId: null, projectTag: null, provider: null, model: null, keySource: null, byok: false, usageEstimated: false, inputTokens: 0, costMicros: 0 });
    });

    test("filters: team, keyway key, key sources (an empty list matches nothing), and every account when none is named", async () => {
      const a = await store().accounts.create("export filters a");
      const b = await store().accounts.create("export filters b");
      const from = BASE + 40 * HOUR;
      const to = from + HOUR;
      const rows = [
        row(a.id, from, { teamId: "t1", apiKeyId: "k1", keySource: "stored" }),
        row(a.id, from + 1, { teamId: "t2", apiKeyId: "k2", keySource: "platform" }),
        row(a.id, from + 2, { teamId: "t1", apiKeyId: "k2", keySource: "request" }),
        row(a.id, from + 3, { apiKeyId: "k1" }),
        row(b.id, from + 1, { teamId: "t1", apiKeyId: "k1", keySource: "stored" }),
        row(b.id, to, { teamId: "t1", apiKeyId: "k1", keySource: "stored" }),
      ];
      await store().usage.insertMany(rows);
      const ids = async (filter: Partial<UsagePageFilter>, limit = 2) =>
        (await allPages(store(), { from, to, ...filter }, limit)).rows.map((r) => `${r.accountId === a.id ? "a" : "b"}:${r.createdAt - from}`);
      expect(await ids({ accountId: a.id })).toEqual(["a:0", "a:1", "a:2", "a:3"]);
      expect(await ids({ accountId: a.id, teamId: "t1" })).toEqual(["a:0", "a:2"]);
      expect(await ids({ accountId: a.id, apiKeyId: "k1" })).toEqual(["a:0", "a:3"]);
      expect(await ids({ accountId: a.id, keySources: ["stored", "request"] })).toEqual(["a:0", "a:2"]);
      expect(await ids({ accountId: a.id, keySources: ["platform"] })).toEqual(["a:1"]);
      expect(await ids({ accountId: a.id, keySources: [] })).toEqual([]);
      expect(await ids({ accountId: a.id, teamId: "t1", apiKeyId: "k2", keySources: ["request"] })).toEqual(["a:2"]);
      const everyAccount = await ids({}, 1);
      expect(everyAccount.filter((id) => id.startsWith("a:"))).toEqual(["a:0", "a:1", "a:2", "a:3"]);
      expect(everyAccount.filter((id) => id.startsWith("b:"))).toEqual(["b:1"]);
      expect(await ids({ teamId: "t1", keySources: ["stored"] }, 1)).toEqual(["a:0", "b:1"]);
    });
  });
}
