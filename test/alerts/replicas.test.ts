// "Fires once per window" across gateways: two services on two connections to one database evaluate the same
// crossed threshold at the same time, several times over; exactly one firing, one delivery, one metric increment.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAlertsService } from "../../src/alerts/service.ts";
import { createWebhooks } from "../../src/notify/webhooks.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";
import { createLogger } from "../../src/telemetry/logger.ts";

let dir: string;
let stores: Store[];
let receiver: ReturnType<typeof Bun.serve>;
let deliveries = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "keyway-replicas-"));
  stores = [openStore(join(dir, "keyway.db")), openStore(join(dir, "keyway.db"))];
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      deliveries++;
      return new Response("ok");
    },
  });
});
afterAll(() => {
  receiver.stop(true);
  for (const store of stores) store.close();
  rmSync(dir, { recursive: true, force: true });
});

test("two gateways, one crossed threshold, evaluated together ten times: one firing, one delivery", async () => {
  const [one, two] = stores as [Store, Store];
  const account = await one.accounts.ensureDefault();
  const now = Date.now();
  await one.usage.insertMany(
    Array.from({ length: 4 }, (_, i) => ({
      requestId: `r${i}`, accountId: account.id, apiKeyId: "k", endpoint: "/v1/chat/completions", byok: true, status: 200, attempts: 1,
      latencyMs: 10, createdAt: now - i, provider: "openai", model: "gpt-4o", keySource: "request", estimatedCostMicros: 300_000,
    })),
  );
  const logger = createLogger("error", () => {});
  const fired: string[] = [];
  const service = (store: Store) =>
    createAlertsService({
      store,
      settings: { timeZone: "UTC", providers: ["openai"], intervalMs: 1000 },
      webhooks: createWebhooks({ secret: "replica-test-webhook-secret", allowPrivateNetworks: true, logger }),
      logger,
      metrics: { alertFired: (type) => fired.push(type) },
      now: () => now,
    });
  const [a, b] = [service(one), service(two)];
  await a.create(account.id, { keyId: "k", teamId: null }, [
    { type: "byok_cost_threshold", provider: null, teamId: null, thresholdMicros: 1_000_000, period: "daily", sensitivity: null, notify: [{ kind: "webhook", target: `http://127.0.0.1:${receiver.port}/x` }] },
  ]);
  const counts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).evaluateNow()));
  await Promise.all([a.settle(), b.settle()]);
  expect(counts.reduce((x, y) => x + y, 0)).toBe(1);
  expect(fired).toEqual(["byok_cost_threshold"]);
  expect(deliveries).toBe(1);
  const events = await two.alerts.events({ accountId: account.id, limit: 10 });
  expect(events.map((e) => [e.kind, e.outcome])).toEqual([["delivery", "delivered"], ["fired", "fired"]]);
  expect((events[1]?.detail as { figures: { observed_usd: number } }).figures.observed_usd).toBe(1.2);
});
