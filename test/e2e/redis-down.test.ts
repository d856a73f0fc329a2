// Counters on Redis, Redis unreachable: BYOK calls that need no counter are served, calls that need one (platform
// rate limits, team daily budgets) get a 503 `limits_unavailable` instead of running unchecked, /ready says why,
// and the outage and the recovery are logged once each. Against a URL that refuses (port 1) and a real redis-server
// of the test's own that is killed and started again.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";
import { waitFor } from "../helpers/processes.ts";
import { type OwnRedis, ownRedis } from "../helpers/redis-server.ts";

const PLATFORM = "sk-proj-PLATFORM000000000000000000007";
const CALLER = "sk-proj-CALLER0000000000000000000007";
const STORED = "sk-proj-STORED0000000000000000000007";
const TEAM = "sk-proj-TEAMKEY000000000000000000007";
const chat = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hello" }], max_tokens: 20 };
const as = (key: string) => ({ authorization: `Bearer ${key}` });

let mock: MockOpenAI;
beforeAll(() => {
  mock = new MockOpenAI({ keys: [PLATFORM, CALLER, STORED, TEAM] }).start();
});
afterAll(() => mock.stop());

function configWith(redisUrl: string): Record<string, unknown> {
  return {
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000, platform_keys: [PLATFORM], models: [{ id: "gpt-4o", input_per_mtok: 2.5, output_per_mtok: 10 }] } },
    platform: { rate_limits: { rpm: 1000 } },
    counters: { driver: "redis", url: redisUrl, prefix: `test:${crypto.randomUUID()}:` },
  };
}

interface World {
  platformKey: string;
  platformAccount: string;
  storedKeyAccount: string;
  teamDeveloper: string;
}

/** An account on platform keys with credits, an account with its own stored key, and a team with a daily budget. */
async function makeWorld(gw: TestGateway): Promise<World> {
  const platform = await (await gw.post("/v1/accounts", { name: `p-${crypto.randomUUID().slice(0, 8)}`, credits: 5 })).json();
  const stored = await (await gw.post("/v1/accounts", { name: `s-${crypto.randomUUID().slice(0, 8)}` })).json();
  expect((await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: STORED }] }, as(stored.key))).status).toBe(201);
  const team = await (
    await gw.post("/v1/teams", {
      name: `budgeted-${crypto.randomUUID().slice(0, 8)}`,
      byok_permissions: { providers: { openai: { enabled: true, max_cost_per_day: 5 } } },
      members: [
        { email: "lead@team.test", role: "admin" },
        { email: "dev@team.test", role: "developer", byok_access: true },
      ],
    })
  ).json();
  const keyOf = (email: string) => (team.members as { email: string; key: string }[]).find((m) => m.email === email)?.key as string;
  expect((await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: TEAM }] }, as(keyOf("lead@team.test")))).status).toBe(201);
  return { platformKey: platform.key, platformAccount: platform.id, storedKeyAccount: stored.key, teamDeveloper: keyOf("dev@team.test") };
}

const call = (gw: TestGateway, key: string, headers: Record<string, string> = {}) => gw.post("/v1/chat/completions", chat, { ...as(key), ...headers });
const creditsOf = async (gw: TestGateway, id: string) => (await (await fetch(`${gw.url}/v1/accounts/${id}`, { headers: as(gw.adminKey) })).json()).credits as number;
const countLogs = (gw: TestGateway, msg: string) => gw.logs.filter((line) => JSON.parse(line).msg === msg).length;
const OUTAGE = "redis unreachable: calls that need counters are refused until it is back";
const RECOVERY = "redis reachable again: counters are back";

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("1");
  const { error } = await res.json();
  expect(error).toMatchObject({ type: "api_error", code: "limits_unavailable", param: null });
  expect(error.message).toContain("Redis");
}

describe("Redis that refuses connections (port 1)", () => {
  let gw: TestGateway;
  let world: World;
  beforeAll(async () => {
    gw = await startGateway(configWith("redis://:s3cret-redis-pass@127.0.0.1:1"));
    world = await makeWorld(gw);
  });
  afterAll(() => gw.stop());

  test("BYOK calls, with the key in the request or stored, are served", async () => {
    const inRequest = await call(gw, world.platformKey, { "x-byok-api-key": CALLER });
    expect(inRequest.status).toBe(200);
    expect(inRequest.headers.get("x-byok-used")).toBe("true");
    const stored = await call(gw, world.storedKeyAccount);
    expect(stored.status).toBe(200);
    expect(stored.headers.get("x-byok-used")).toBe("true");
  });

  test("platform-key calls are refused with a 503 limits_unavailable and no credits are taken", async () => {
    const before = await creditsOf(gw, world.platformAccount);
    for (let i = 0; i < 3; i++) await expectRefused(await call(gw, world.platformKey));
    expect(await creditsOf(gw, world.platformAccount)).toBe(before);
  });

  test("a team call under a daily budget is refused too: its budget cannot be checked", async () => {
    await expectRefused(await call(gw, world.teamDeveloper));
  });

  test("/ready is 503 naming Redis and why, without the password; the outage is logged once", async () => {
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(503);
    const body = await ready.json();
    expect(body).toMatchObject({ status: "unavailable", checks: { database: true, redis: false } });
    expect(body.reasons.redis).toContain("Redis (counters) unreachable since");
    expect(JSON.stringify(body)).not.toContain("s3cret-redis-pass");
    expect(countLogs(gw, OUTAGE)).toBe(1);
    expect(gw.logs.join("\n")).not.toContain("s3cret-redis-pass");
    const outage = gw.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === OUTAGE);
    expect(outage.redis).toBe("redis://127.0.0.1:1");
  });
});

describe("a real Redis that goes away and comes back", () => {
  let gw: TestGateway;
  let world: World;
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await ownRedis();
    gw = await startGateway(configWith(redis.url));
    world = await makeWorld(gw);
  });
  afterAll(async () => {
    await gw.stop();
    await redis.stop();
  });

  test("up: platform calls pass, counted in Redis; /ready lists Redis", async () => {
    const res = await call(gw, world.platformKey);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("999");
    const ready = await fetch(`${gw.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: true, redis: true } });
  });

  test("down: platform refused at once, BYOK served, /ready 503; back: all served again, each change logged once", async () => {
    await redis.stop();
    const started = performance.now();
    await expectRefused(await call(gw, world.platformKey));
    expect(performance.now() - started).toBeLessThan(2_000);
    await expectRefused(await call(gw, world.platformKey));
    expect((await call(gw, world.platformKey, { "x-byok-api-key": CALLER })).status).toBe(200);
    expect((await call(gw, world.storedKeyAccount)).status).toBe(200);
    expect((await fetch(`${gw.url}/ready`)).status).toBe(503);
    expect(countLogs(gw, OUTAGE)).toBe(1);
    expect(countLogs(gw, RECOVERY)).toBe(0);

    await redis.start();
    // The link probes a down Redis every second: recovery shows without any traffic.
    await waitFor(() => countLogs(gw, RECOVERY) === 1, 5_000);
    expect(countLogs(gw, RECOVERY)).toBe(1);
    expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    const res = await call(gw, world.platformKey);
    expect(res.status).toBe(200);
    // A fresh Redis (no persistence): the minute's counter starts again.
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("999");
    expect((await call(gw, world.teamDeveloper)).status).toBe(200);
    expect(countLogs(gw, OUTAGE)).toBe(1);
    expect(countLogs(gw, RECOVERY)).toBe(1);
  });
});
