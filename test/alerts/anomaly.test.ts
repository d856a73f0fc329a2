// byok_usage_anomaly on a generated ledger (written through the store's usage insertMany, so rollups are real) with
// the evaluator's clock moved hour by hour: a week of ordinary noise (a day/night rhythm, +-25% jitter) fires
// nothing at any sensitivity; an hour at 20x fires each once, delivered as a signed webhook; retries are events.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { createAlertsService } from "../../src/alerts/service.ts";
import { createWebhooks } from "../../src/notify/webhooks.ts";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

const HOUR = 3_600_000;
const WHSEC = `whsec_${Buffer.from("anomaly-test-standard-webhooks-secret").toString("base64")}`;
/** The hour the spike lands in (a Tuesday, 14:00 UTC). */
const SPIKE_HOUR = Math.floor(Date.UTC(2026, 2, 10, 14) / HOUR);
const DAYS_OF_NOISE = 15;

/** A small deterministic generator (mulberry32), so the noise is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Ordinary traffic: 60 calls an hour by day (08-20 UTC), 15 by night, each +-25%; a call costs 1,500-2,500 micro-USD. */
function usualCalls(hour: number): number {
  const clock = hour % 24;
  return clock >= 8 && clock < 20 ? 60 : 15;
}

let dir: string;
let store: Store;
let receiver: ReturnType<typeof Bun.serve>;
const received: { body: string; headers: Record<string, string> }[] = [];
let failFirst = 0;
let accountId: string;

function rows(hour: number, calls: number, next: () => number): UsageRecord[] {
  return Array.from({ length: calls }, (_, i) => ({
    requestId: `req_${hour}_${i}`, accountId, apiKeyId: "key_a", endpoint: "/v1/chat/completions", byok: true, status: 200, attempts: 1,
    latencyMs: 200, createdAt: hour * HOUR + Math.floor(next() * HOUR), provider: "openai", model: "gpt-4o", keySource: "stored",
    estimatedCostMicros: 1_500 + Math.floor(next() * 1_001),
  }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "keyway-anomaly-"));
  store = openStore(join(dir, "keyway.db"));
  accountId = (await store.accounts.ensureDefault()).id;
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      if (failFirst > 0) {
        failFirst--;
        return new Response("busy", { status: 503 });
      }
      received.push({ body: await req.text(), headers: Object.fromEntries(req.headers) });
      return new Response("ok");
    },
  });
  const next = random(42);
  const batch: UsageRecord[] = [];
  for (let hour = SPIKE_HOUR - DAYS_OF_NOISE * 24; hour < SPIKE_HOUR; hour++) {
    batch.push(...rows(hour, Math.round(usualCalls(hour) * (0.75 + next() * 0.5)), next));
  }
  await store.usage.insertMany(batch);
});
afterAll(() => {
  receiver.stop(true);
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("byok_usage_anomaly", () => {
  test("a week of ordinary noise fires nothing at any sensitivity; a 20x hour fires each once, signed, retried", async () => {
    let now = (SPIKE_HOUR - 7 * 24 - 2) * HOUR;
    const logs: string[] = [];
    const logger = createLogger("debug", (line) => logs.push(line));
    const fired: string[] = [];
    const alerts = createAlertsService({
      store,
      settings: { timeZone: "Europe/Berlin", providers: ["openai"], intervalMs: 1000 },
      webhooks: createWebhooks({ secret: WHSEC, allowPrivateNetworks: true, logger, attempts: 4, backoffMs: 5 }),
      logger,
      metrics: { alertFired: (type) => fired.push(type) },
      now: () => now,
    });
    const url = `http://127.0.0.1:${receiver.port}/anomaly`;
    const made = await alerts.create(accountId, { keyId: "key_admin", teamId: null }, (["low", "medium", "high"] as const).map((sensitivity) => ({
      type: "byok_usage_anomaly" as const, provider: null, teamId: null, thresholdMicros: null, period: null, sensitivity, notify: [{ kind: "webhook" as const, target: url }],
    })));
    expect(made.map((a) => a.knownPairs)).toEqual([[{ provider: "openai", model: "gpt-4o" }], [{ provider: "openai", model: "gpt-4o" }], [{ provider: "openai", model: "gpt-4o" }]]);

    // Every half hour of the last week before the spike: nothing leaves the baseline.
    for (let at = (SPIKE_HOUR - 7 * 24) * HOUR; at < SPIKE_HOUR * HOUR; at += HOUR / 2) {
      now = at;
      expect(await alerts.evaluateNow()).toBe(0);
    }
    expect(await alerts.events({ accountId, limit: 10 })).toEqual([]);

    // The usual for 14:00 is 60 calls; 20x that lands in the spike hour.
    const next = random(7);
    await store.usage.insertMany(rows(SPIKE_HOUR, 20 * usualCalls(SPIKE_HOUR), next));
    failFirst = 2;
    now = SPIKE_HOUR * HOUR + 40 * 60_000;
    expect(await alerts.evaluateNow()).toBe(3);
    now += 10 * 60_000;
    expect(await alerts.evaluateNow()).toBe(0);
    await alerts.settle();
    expect(fired).toEqual(["byok_usage_anomaly", "byok_usage_anomaly", "byok_usage_anomaly"]);

    const firings = await alerts.events({ accountId, kind: "fired", limit: 10 });
    expect(firings).toHaveLength(3);
    for (const firing of firings) {
      const figures = (firing.detail as { figures: Record<string, any> }).figures;
      expect(figures.reason).toBe("spike");
      expect(figures.exceeded).toContain("requests");
      expect(figures.requests.observed).toBe(1200);
      expect(figures.requests.limit).toBeLessThan(1200);
      expect(figures.requests.median).toBeGreaterThan(10);
      expect((firing.detail as { window: { from: string } }).window.from).toBe("2026-03-10T15:00:00.000+01:00");
    }
    // Two refusals (503), then each firing's webhook delivered: every attempt is an event.
    const attempts = await alerts.events({ accountId, kind: "delivery", limit: 20 });
    expect(attempts.filter((a) => a.outcome === "failed").map((a) => a.status)).toEqual([503, 503]);
    expect(attempts.filter((a) => a.outcome === "delivered")).toHaveLength(3);
    expect(attempts.every((a) => a.channel === "webhook" && a.target === url)).toBe(true);
    expect(received).toHaveLength(3);
    const verifier = new Webhook(WHSEC);
    const sensitivities = received.map((r) => {
      const payload = verifier.verify(r.body, r.headers) as { alert: { id: string }; figures: { sensitivity: string } };
      expect(made.some((a) => a.id === payload.alert.id)).toBe(true);
      return payload.figures.sensitivity;
    });
    expect(sensitivities.sort()).toEqual(["high", "low", "medium"]);
  });

  test("a quiet account does not fire on noise: a few calls after a silent week stay under the floor", async () => {
    const quiet = (await store.accounts.create("quiet")).id;
    const next = random(3);
    const calls: UsageRecord[] = [];
    for (let hour = SPIKE_HOUR - 8 * 24; hour < SPIKE_HOUR; hour += 24) calls.push(...rows(hour, 1, next).map((r) => ({ ...r, accountId: quiet, requestId: `q_${r.requestId}` })));
    calls.push(...rows(SPIKE_HOUR, 8, next).map((r) => ({ ...r, accountId: quiet, requestId: `q_${r.requestId}` })));
    await store.usage.insertMany(calls);
    const now = SPIKE_HOUR * HOUR + 30 * 60_000;
    const logger = createLogger("error", () => {});
    const alerts = createAlertsService({
      store,
      settings: { timeZone: "UTC", providers: ["openai"], intervalMs: 1000 },
      webhooks: createWebhooks({ secret: WHSEC, allowPrivateNetworks: true, logger }),
      logger,
      now: () => now - 2 * HOUR,
    });
    await alerts.create(quiet, { keyId: "key_q", teamId: null }, [
      { type: "byok_usage_anomaly", provider: null, teamId: null, thresholdMicros: null, period: null, sensitivity: "high", notify: [] },
    ]);
    const later = createAlertsService({
      store,
      settings: { timeZone: "UTC", providers: ["openai"], intervalMs: 1000 },
      webhooks: createWebhooks({ secret: WHSEC, allowPrivateNetworks: true, logger }),
      logger,
      now: () => now,
    });
    expect(await later.evaluateNow()).toBe(0);
    // 8 calls against a median of 0: under the high floor of 10 requests over the median.
    expect(await store.alerts.events({ accountId: quiet, limit: 10 })).toEqual([]);
  });
});
