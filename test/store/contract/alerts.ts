// Store contract, part: alerts (all-or-nothing creation, scoped lists, removal), once-per-window firing claims (also
// when many are tried at once), the events list, and the BYOK figures read from the hourly rollups.
import { describe, expect, test } from "bun:test";
import type { AlertRecord, NewAlertEvent } from "../../../src/store/repositories/alerts.ts";
import type { UsageRecord } from "../../../src/store/repositories/usage.ts";
import type { Store } from "../../../src/store/store.ts";

const HOUR = 3_600_000;
const BASE_HOUR = 495_000;

let serial = 0;
function alert(accountId: string, fields: Partial<AlertRecord> = {}): AlertRecord {
  serial++;
  return {
    id: `alert_c${serial}`, accountId, teamId: null, type: "byok_cost_threshold", provider: null, thresholdMicros: 5_000_000, period: "daily",
    sensitivity: null, notify: ["ops@example.com", "https://hooks.example.com/a"], knownPairs: [], createdBy: "key_c", createdAt: 1_000 + serial, ...fields,
  };
}

function fired(a: AlertRecord, firingId: string, at = 5_000): NewAlertEvent {
  return { alertId: a.id, accountId: a.accountId, teamId: a.teamId, firingId, kind: "fired", outcome: "fired", detail: { figures: { observed_usd: 6 } }, createdAt: at };
}

function call(accountId: string, fields: Partial<UsageRecord>): UsageRecord {
  serial++;
  return {
    requestId: `req_alert_${serial}`, accountId, apiKeyId: "key_c", endpoint: "/v1/chat/completions", byok: true, status: 200, attempts: 1,
    latencyMs: 50, createdAt: BASE_HOUR * HOUR, provider: "openai", model: "gpt-4o", keySource: "request", ...fields,
  };
}

export function alertsContract(store: () => Store): void {
  describe("alerts", () => {
    test("createMany stores every alert; list is scoped by account and team, oldest first; get reads one back", async () => {
      const account = await store().accounts.create("alerts list");
      const other = await store().accounts.create("alerts other");
      const a = alert(account.id);
      const b = alert(account.id, { teamId: "team_x", type: "byok_usage_anomaly", thresholdMicros: null, period: null, sensitivity: "high", notify: [], knownPairs: [{ provider: "openai", model: "gpt-4o" }] });
      const c = alert(other.id, { provider: "openai", period: "hourly" });
      await store().alerts.createMany([a, b]);
      await store().alerts.createMany([c]);
      expect(await store().alerts.list({ accountId: account.id })).toEqual([a, b]);
      expect(await store().alerts.list({ accountId: account.id, teamId: "team_x" })).toEqual([b]);
      expect(await store().alerts.list({ accountId: other.id })).toEqual([c]);
      const all = await store().alerts.list({});
      expect(all).toContainEqual(a);
      expect(all).toContainEqual(c);
      expect(await store().alerts.get(c.id)).toEqual(c);
      expect(await store().alerts.get("alert_none")).toBeUndefined();
    });

    test("createMany is all or nothing: one bad row (a duplicate id) stores none", async () => {
      const account = await store().accounts.create("alerts atomic");
      const first = alert(account.id);
      await store().alerts.createMany([first]);
      const fresh = alert(account.id);
      await expect(store().alerts.createMany([fresh, { ...first }])).rejects.toThrow();
      expect(await store().alerts.get(fresh.id)).toBeUndefined();
      expect(await store().alerts.list({ accountId: account.id })).toEqual([first]);
    });

    test("a window is claimed once: the second claim of (alert, window) is refused, another window is not", async () => {
      const account = await store().accounts.create("alerts claim");
      const a = alert(account.id);
      await store().alerts.createMany([a]);
      expect(await store().alerts.claimFiring({ id: "fire_1", alertId: a.id, windowKey: "daily:2026-01-01", firedAt: 5_000 }, fired(a, "fire_1"))).toBe(true);
      expect(await store().alerts.claimFiring({ id: "fire_2", alertId: a.id, windowKey: "daily:2026-01-01", firedAt: 6_000 }, fired(a, "fire_2"))).toBe(false);
      expect(await store().alerts.claimFiring({ id: "fire_3", alertId: a.id, windowKey: "daily:2026-01-02", firedAt: 7_000 }, fired(a, "fire_3"))).toBe(true);
      const events = await store().alerts.events({ alertId: a.id, limit: 10 });
      expect(events.map((e) => e.firingId)).toEqual(["fire_3", "fire_1"]);
      expect(events[1]).toMatchObject({ kind: "fired", outcome: "fired", accountId: account.id, detail: { figures: { observed_usd: 6 } }, createdAt: 5_000 });
    });

    test("fifty claims of one window at once: exactly one succeeds and one fired event is written", async () => {
      const account = await store().accounts.create("alerts race");
      const a = alert(account.id);
      await store().alerts.createMany([a]);
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store().alerts.claimFiring({ id: `fire_r${i}`, alertId: a.id, windowKey: "hourly:x", firedAt: i }, fired(a, `fire_r${i}`))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().alerts.events({ alertId: a.id, limit: 100 })).toHaveLength(1);
    });

    test("remove deletes the alert and its claims (no claim for a removed alert), keeps its events", async () => {
      const account = await store().accounts.create("alerts remove");
      const a = alert(account.id);
      await store().alerts.createMany([a]);
      expect(await store().alerts.claimFiring({ id: "fire_rm", alertId: a.id, windowKey: "w", firedAt: 1 }, fired(a, "fire_rm"))).toBe(true);
      expect(await store().alerts.remove(a.id)).toBe(true);
      expect(await store().alerts.remove(a.id)).toBe(false);
      expect(await store().alerts.get(a.id)).toBeUndefined();
      expect(await store().alerts.claimFiring({ id: "fire_rm2", alertId: a.id, windowKey: "w2", firedAt: 2 }, fired(a, "fire_rm2"))).toBe(false);
      expect((await store().alerts.events({ alertId: a.id, limit: 10 })).map((e) => e.firingId)).toEqual(["fire_rm"]);
    });

    test("events: delivery attempts recorded; filtered by scope, alert, firing, kind, before; newest first; limited", async () => {
      const account = await store().accounts.create("alerts events");
      const a = alert(account.id, { teamId: "team_e" });
      const b = alert(account.id);
      await store().alerts.createMany([a, b]);
      await store().alerts.claimFiring({ id: "fire_ea", alertId: a.id, windowKey: "w", firedAt: 10 }, fired(a, "fire_ea", 10));
      await store().alerts.claimFiring({ id: "fire_eb", alertId: b.id, windowKey: "w", firedAt: 11 }, fired(b, "fire_eb", 11));
      const attempt = (n: number, outcome: "failed" | "delivered"): NewAlertEvent => ({
        alertId: a.id, accountId: account.id, teamId: "team_e", firingId: "fire_ea", kind: "delivery", channel: "webhook",
        target: "https://hooks.example.com/a", attempt: n, outcome, status: outcome === "failed" ? 503 : 200, final: outcome === "delivered",
        detail: outcome === "failed" ? { reason: "HTTP 503" } : null, createdAt: 20 + n,
      });
      await store().alerts.recordEvent(attempt(1, "failed"));
      await store().alerts.recordEvent(attempt(2, "delivered"));
      const team = await store().alerts.events({ accountId: account.id, teamId: "team_e", limit: 10 });
      expect(team.map((e) => [e.kind, e.attempt, e.outcome])).toEqual([["delivery", 2, "delivered"], ["delivery", 1, "failed"], ["fired", null, "fired"]]);
      expect(team[1]).toMatchObject({ channel: "webhook", target: "https://hooks.example.com/a", status: 503, final: false, detail: { reason: "HTTP 503" } });
      expect(team[0]).toMatchObject({ status: 200, final: true, detail: null });
      expect((await store().alerts.events({ accountId: account.id, limit: 10 })).length).toBe(4);
      expect((await store().alerts.events({ accountId: account.id, kind: "fired", limit: 10 })).map((e) => e.alertId)).toEqual([b.id, a.id]);
      expect((await store().alerts.events({ firingId: "fire_ea", kind: "delivery", limit: 10 })).map((e) => e.attempt)).toEqual([2, 1]);
      expect(await store().alerts.events({ accountId: account.id, limit: 1 })).toHaveLength(1);
      const newest = team[0]?.id ?? 0;
      expect((await store().alerts.events({ accountId: account.id, teamId: "team_e", beforeId: newest, limit: 10 })).map((e) => e.attempt)).toEqual([1, null]);
    });

    test("BYOK figures from the rollups: cost over hours, per hour, pairs with their first hour, used-before", async () => {
      const account = await store().accounts.create("alerts figures");
      const id = account.id;
      const h = (n: number) => (BASE_HOUR + n) * HOUR + 60_000;
      await store().usage.insertMany([
        call(id, { createdAt: h(0), estimatedCostMicros: 1_000 }),
        call(id, { createdAt: h(0), estimatedCostMicros: 2_000, keySource: "stored", teamId: "team_f" }),
        call(id, { createdAt: h(1), estimatedCostMicros: 4_000, provider: "anthropic", model: "claude-3-haiku" }),
        call(id, { createdAt: h(1), estimatedCostMicros: 8_000, model: "gpt-4o-mini", teamId: "team_f" }),
        // Not BYOK: a platform key paid.
        call(id, { createdAt: h(1), estimatedCostMicros: 100_000, costMicros: 100_000, byok: false, keySource: "platform", provider: "mistral", model: "mistral-large" }),
        call(id, { createdAt: h(3), estimatedCostMicros: 16_000 }),
      ]);
      expect(await store().alerts.byokCost(id, BASE_HOUR, BASE_HOUR + 4)).toBe(31_000);
      expect(await store().alerts.byokCost(id, BASE_HOUR + 1, BASE_HOUR + 3)).toBe(12_000);
      expect(await store().alerts.byokCost(id, BASE_HOUR, BASE_HOUR + 4, { provider: "openai" })).toBe(27_000);
      expect(await store().alerts.byokCost(id, BASE_HOUR, BASE_HOUR + 4, { teamId: "team_f" })).toBe(10_000);
      expect(await store().alerts.byokCost(id, BASE_HOUR + 4, BASE_HOUR + 9)).toBe(0);
      expect(await store().alerts.byokHourly(id, BASE_HOUR, BASE_HOUR + 4)).toEqual([
        { hour: BASE_HOUR, requests: 2, costMicros: 3_000 },
        { hour: BASE_HOUR + 1, requests: 2, costMicros: 12_000 },
        { hour: BASE_HOUR + 3, requests: 1, costMicros: 16_000 },
      ]);
      expect(await store().alerts.byokHourly(id, BASE_HOUR, BASE_HOUR + 4, { teamId: "team_f" })).toEqual([
        { hour: BASE_HOUR, requests: 1, costMicros: 2_000 },
        { hour: BASE_HOUR + 1, requests: 1, costMicros: 8_000 },
      ]);
      expect(await store().alerts.byokPairs(id, BASE_HOUR, BASE_HOUR + 4)).toEqual([
        { provider: "anthropic", model: "claude-3-haiku", firstHour: BASE_HOUR + 1 },
        { provider: "openai", model: "gpt-4o", firstHour: BASE_HOUR },
        { provider: "openai", model: "gpt-4o-mini", firstHour: BASE_HOUR + 1 },
      ]);
      expect(await store().alerts.byokPairs(id, BASE_HOUR + 2, BASE_HOUR + 4)).toEqual([{ provider: "openai", model: "gpt-4o", firstHour: BASE_HOUR + 3 }]);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 1, { provider: "anthropic" })).toBe(false);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 2, { provider: "anthropic" })).toBe(true);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 1, { provider: "openai" })).toBe(true);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 1, { provider: "openai", model: "gpt-4o-mini" })).toBe(false);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 9, { provider: "openai", model: "gpt-4o", teamId: "team_f" })).toBe(true);
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 9, { provider: "anthropic", teamId: "team_f" })).toBe(false);
      // Platform calls do not count as BYOK use.
      expect(await store().alerts.byokUsedBefore(id, BASE_HOUR + 9, { provider: "mistral" })).toBe(false);
    });
  });
}
