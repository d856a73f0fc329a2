// Who may manage and read alerts, over real HTTP: the operator everything (or ?account_id=), an account admin its
// account, an account viewer reads it, a team admin manages and reads only its team's alerts (its alerts watch its
// team), a team viewer reads them, developers nothing (403); anything outside the reach is a 404. Also: without
// notifications.smtp an e-mail target is a 400 that says so, and http webhooks are refused where private networks are.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { buildWorld, type World } from "./permissions-world.ts";

let mock: MockOpenAI;
let gw: TestGateway;
let world: World;

beforeAll(async () => {
  mock = new MockOpenAI().start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000, models: [{ id: "gpt-4-turbo-preview", input_per_mtok: 10, output_per_mtok: 30 }] } },
    security: { webhook_secret: "alerts-permissions-webhook-secret" },
    alerts: { evaluate_interval_ms: 30 },
  });
  world = await buildWorld(gw);
});
afterAll(async () => {
  world.close();
  await gw.stop();
  await mock.stop();
});

const tiny = (extra: Record<string, unknown> = {}) => ({ type: "byok_cost_threshold", threshold: 0.000001, period: "monthly", ...extra });

async function create(key: string, alerts: unknown[], extra: Record<string, unknown> = {}) {
  return world.call(key, "POST", "/v1/alerts", { alerts, ...extra });
}

async function ids(key: string, path = "/v1/alerts"): Promise<string[]> {
  const res = await world.call(key, "GET", path);
  expect(res.status).toBe(200);
  return (res.body.data as { id: string }[]).map((a) => a.id);
}

describe("alerts permissions", () => {
  let accountAlert: string;
  let t1Alert: string;
  let t2Alert: string;
  let bAlert: string;

  beforeAll(async () => {
    const a = await create(world.keys.aA, [tiny(), tiny({ team_id: world.t2.id })]);
    expect(a.status).toBe(201);
    [accountAlert, t2Alert] = (a.body.data as { id: string }[]).map((x) => x.id) as [string, string];
    const t = await create(world.keys.tA, [tiny()]);
    expect(t.status).toBe(201);
    expect(t.body.data[0].team_id).toBe(world.t1.id);
    t1Alert = t.body.data[0].id;
    const b = await create(world.keys.op, [tiny()], { account_id: world.accountB });
    expect(b.status).toBe(201);
    expect(b.body.data[0].account_id).toBe(world.accountB);
    bAlert = b.body.data[0].id;
  });

  test("create: developers and viewers get 403; a team admin cannot name another team (400); an account admin cannot name another account (404)", async () => {
    for (const who of ["aD", "aV", "tD", "tV"] as const) {
      const res = await create(world.keys[who], [tiny()]);
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe("permission_denied");
    }
    const other = await create(world.keys.tA, [tiny({ team_id: world.t2.id })]);
    expect(other.status).toBe(400);
    expect(other.body.error.param).toBe("alerts[0].team_id");
    const foreign = await create(world.keys.aA, [tiny()], { account_id: world.accountB });
    expect(foreign.status).toBe(404);
    const foreignTeam = await create(world.keys.aA, [tiny({ team_id: world.tb.id })]);
    expect(foreignTeam.status).toBe(400);
  });

  test("list: each role sees its reach", async () => {
    const all = await ids(world.keys.op);
    for (const id of [accountAlert, t1Alert, t2Alert, bAlert]) expect(all).toContain(id);
    expect((await ids(world.keys.op, `/v1/alerts?account_id=${world.accountB}`))).toEqual([bAlert]);
    for (const who of ["aA", "aV"] as const) expect((await ids(world.keys[who])).sort()).toEqual([accountAlert, t1Alert, t2Alert].sort());
    for (const who of ["tA", "tV"] as const) expect(await ids(world.keys[who])).toEqual([t1Alert]);
    expect(await ids(world.bAdmin)).toEqual([bAlert]);
    for (const who of ["aD", "tD"] as const) expect((await world.call(world.keys[who], "GET", "/v1/alerts")).status).toBe(403);
    expect((await world.call(world.keys.aA, "GET", `/v1/alerts?account_id=${world.accountB}`)).status).toBe(404);
  });

  test("events: the world's team calls made the tiny thresholds fire; each role reads only its reach", async () => {
    // t1's and t2's logged calls (stored BYOK keys) cost more than $0.000001 this month.
    const deadline = Date.now() + 5000;
    while ((await ids(world.keys.op, "/v1/alerts/events?kind=fired")).length < 3 && Date.now() < deadline) await Bun.sleep(20);
    const alertsOf = async (key: string) => {
      const res = await world.call(key, "GET", "/v1/alerts/events?kind=fired");
      expect(res.status).toBe(200);
      return [...new Set((res.body.data as { alert_id: string }[]).map((e) => e.alert_id))].sort();
    };
    expect(await alertsOf(world.keys.aA)).toEqual([accountAlert, t1Alert, t2Alert].sort());
    expect(await alertsOf(world.keys.aV)).toEqual([accountAlert, t1Alert, t2Alert].sort());
    expect(await alertsOf(world.keys.tA)).toEqual([t1Alert]);
    expect(await alertsOf(world.keys.tV)).toEqual([t1Alert]);
    expect(await alertsOf(world.bAdmin)).toEqual([]);
    expect((await world.call(world.keys.tV, "GET", `/v1/alerts/events?alert_id=${t2Alert}`)).body.data).toEqual([]);
    for (const who of ["aD", "tD"] as const) expect((await world.call(world.keys[who], "GET", "/v1/alerts/events")).status).toBe(403);
  });

  test("delete: outside the reach is 404, without the role 403; within it the alert goes", async () => {
    expect((await world.call(world.keys.tA, "DELETE", `/v1/alerts/${accountAlert}`)).status).toBe(404);
    expect((await world.call(world.keys.tA, "DELETE", `/v1/alerts/${t2Alert}`)).status).toBe(404);
    expect((await world.call(world.bAdmin, "DELETE", `/v1/alerts/${t1Alert}`)).status).toBe(404);
    for (const who of ["aV", "tV", "aD", "tD"] as const) expect((await world.call(world.keys[who], "DELETE", `/v1/alerts/${t1Alert}`)).status, who).toBe(403);
    expect((await world.call(world.keys.tA, "DELETE", `/v1/alerts/${t1Alert}`)).status).toBe(200);
    expect((await world.call(world.keys.aA, "DELETE", `/v1/alerts/${t2Alert}`)).status).toBe(200);
    expect((await world.call(world.keys.op, "DELETE", `/v1/alerts/${bAlert}`)).status).toBe(200);
    expect(await ids(world.keys.aA)).toEqual([accountAlert]);
  });

  test("an e-mail target without notifications.smtp is a 400 that says so; http webhooks need private networks allowed", async () => {
    const mail = await create(world.keys.aA, [{ type: "byok_usage_anomaly", notify: ["ops@example.com"] }]);
    expect(mail.status).toBe(400);
    expect(mail.body.error.param).toBe("alerts[0].notify[0]");
    expect(mail.body.error.message).toContain("notifications.smtp is not set");
    const http = await create(world.keys.aA, [{ type: "byok_usage_anomaly", notify: ["http://hooks.example.com/x"] }]);
    expect(http.status).toBe(400);
    expect(http.body.error.param).toBe("alerts[0].notify[0]");
    const loopback = await create(world.keys.aA, [{ type: "byok_usage_anomaly", notify: ["https://127.0.0.1/hook"] }]);
    expect(loopback.status).toBe(400);
    expect(loopback.body.error.message).toContain("private network");
    expect(await ids(world.keys.aA)).toEqual([accountAlert]);
  });
});
