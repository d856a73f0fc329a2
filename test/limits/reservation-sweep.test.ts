// The start-up sweep of credit reservations, on a real database: a gateway restarted over reservations that
// gateways left behind settles them from the usage rows (or gives them back), and leaves a running gateway's alone.
import { afterEach, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import type { UsageRecord } from "../../src/store/repositories/usage.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import type { Store } from "../../src/store/store.ts";

const INITIAL = 1_000_000;
let gw: TestGateway | undefined;

afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

function usageRow(accountId: string, requestId: string, costMicros: number, createdAt = Date.now()): UsageRecord {
  return { requestId, accountId, apiKeyId: "key_test", endpoint: "chat", provider: "openai", model: "gpt-4o", keySource: "platform", byok: false, status: 200, inputTokens: 10, outputTokens: 7, costMicros, attempts: 1, latencyMs: 5, createdAt };
}

/** A gateway with a $1 account, stopped, so reservations can be left on its database as a dead gateway would. */
async function stoppedGatewayWithAccount(): Promise<{ accountId: string; store: Store }> {
  gw = await startGateway({});
  const account = await (await gw.post("/v1/accounts", { name: "swept", credits: INITIAL / 1e6 })).json();
  await gw.runtime.stop();
  return { accountId: account.id, store: openStore(gw.dbPath) };
}

async function reserve(store: Store, accountId: string, requestId: string, instanceId: string, micros: number): Promise<void> {
  const held = await store.creditReservations.reserve({ requestId, accountId, instanceId, micros });
  expect(held.granted).toBe(true);
}

function sweepLine(on: TestGateway): Record<string, unknown> | undefined {
  return on.logs.map((line) => JSON.parse(line)).find((line) => line.msg === "credit reservations of stopped gateways settled");
}

describe("start-up sweep of credit reservations", () => {
  test("leftovers with a usage row are charged its cost, those without are given back: credits == initial - the usage cost", async () => {
    const { accountId, store } = await stoppedGatewayWithAccount();
    await reserve(store, accountId, "req-answered", "gw_killed", 5_000);
    await reserve(store, accountId, "req-unanswered", "gw_killed", 3_000);
    await reserve(store, accountId, "req-overshot", "gw_killed", 2_000);
    await reserve(store, accountId, "req-in-flight", "gw_killed", 4_000);
    await store.usage.insertMany([usageRow(accountId, "req-answered", 1_234), usageRow(accountId, "req-overshot", 2_500)]);
    expect((await store.accounts.get(accountId))?.creditsMicros).toBe(INITIAL - 14_000);
    store.close();

    const on = gw as TestGateway;
    await on.restart();
    const after = openStore(on.dbPath);
    expect((await after.accounts.get(accountId))?.creditsMicros).toBe(INITIAL - 1_234 - 2_500);
    expect(await after.creditReservations.held()).toEqual([]);
    after.close();
    expect(sweepLine(on)).toMatchObject({ level: "info", settled: 2, released: 2, kept: 0, charged_micros: 3_734, returned_micros: 10_266 });
    // Settled once: another restart finds nothing left.
    await on.restart();
    const again = openStore(on.dbPath);
    expect((await again.accounts.get(accountId))?.creditsMicros).toBe(INITIAL - 3_734);
    again.close();
  });

  test("a running gateway's reservations are left to it; each usage row settles one reservation; dead leases are recognised", async () => {
    const { accountId, store } = await stoppedGatewayWithAccount();
    const now = Date.now();
    const lease = { pid: 1, startedAt: now, heartbeatAt: now, heartbeatEveryMs: 5_000 };
    await store.gatewayLeases.beat({ ...lease, instanceId: "gw_elsewhere", host: "another-host" });
    await store.gatewayLeases.beat({ ...lease, instanceId: "gw_here_too", host: hostname(), pid: process.pid });
    await store.gatewayLeases.beat({ ...lease, instanceId: "gw_silent", host: "another-host", heartbeatAt: now - 3_600_000 });
    await store.gatewayLeases.beat({ ...lease, instanceId: "gw_earlier_life", host: hostname(), pid: process.pid, startedAt: performance.timeOrigin - 60_000 });
    await reserve(store, accountId, "req-elsewhere", "gw_elsewhere", 4_000);
    await reserve(store, accountId, "req-here", "gw_here_too", 1_500);
    await reserve(store, accountId, "req-silent", "gw_silent", 2_000);
    await reserve(store, accountId, "req-earlier", "gw_earlier_life", 1_000);
    // A client reusing one request id: an earlier call's row does not count, and one row settles one reservation.
    await store.usage.insertMany([usageRow(accountId, "req-reused", 999, now - 60_000)]);
    await reserve(store, accountId, "req-reused", "gw_killed", 700);
    await reserve(store, accountId, "req-reused", "gw_killed", 800);
    await store.usage.insertMany([
      usageRow(accountId, "req-elsewhere", 300),
      usageRow(accountId, "req-silent", 1_100),
      usageRow(accountId, "req-earlier", 400),
      usageRow(accountId, "req-reused", 600),
    ]);
    store.close();

    const on = gw as TestGateway;
    await on.restart();
    const after = openStore(on.dbPath);
    const left = (await after.creditReservations.held()).map((r) => [r.requestId, r.instanceId, r.reservedMicros]);
    expect(left).toEqual([
      ["req-elsewhere", "gw_elsewhere", 4_000],
      ["req-here", "gw_here_too", 1_500],
    ]);
    expect((await after.accounts.get(accountId))?.creditsMicros).toBe(INITIAL - 4_000 - 1_500 - 1_100 - 400 - 600);
    after.close();
    expect(sweepLine(on)).toMatchObject({ settled: 3, released: 1, kept: 2 });
  });
});
