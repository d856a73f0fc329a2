// Two real `keyway serve` processes on one Postgres schema and one Redis: a change made through one gateway reaches
// the other's caches within a second (keyway key revoked, team settings changed, stored key added, team deleted).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer } from "../helpers/binary.ts";
import { freshPostgresSchema, POSTGRES_URL } from "../helpers/postgres.ts";

const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const OWN_KEY = "sk-fleet-caches-own-0123456789abcdef";
const STORED_KEY = "sk-fleet-caches-stored-0123456789ab";
const ADMIN = "kw_fleet_caches_admin_00000000001";
const fresh = await freshPostgresSchema("caches");
let mock: MockOpenAI;
let one: Awaited<ReturnType<typeof startSourceServer>>;
let two: Awaited<ReturnType<typeof startSourceServer>>;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [OWN_KEY, STORED_KEY] }).start();
  const dir = mkdtempSync(join(tmpdir(), "keyway-fleet-caches-"));
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${fresh.schema}`);
  const config = join(dir, "keyway.yaml");
  writeFileSync(config, [
    "server: { host: 127.0.0.1, port: 0 }",
    `storage: { driver: postgres, url: "${url}", pool_size: 4 }`,
    `counters: { driver: redis, url: "${REDIS_URL}" }`,
    `security: { admin_key: ${ADMIN}, master_key_file: ${join(dir, "master.key")} }`,
    `providers: { openai: { adapter: openai, base_url: "${mock.url}" } }`,
  ].join("\n"));
  // One after the other: the first creates the master key file that both share.
  one = await startSourceServer(config);
  two = await startSourceServer(config);
}, 40_000);

afterAll(async () => {
  for (const gateway of [one, two]) gateway?.proc.kill("SIGTERM");
  await Promise.all([one?.proc.exited, two?.proc.exited]);
  await mock.stop();
  await fresh.drop();
});

const headers = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

async function call(base: string, method: string, path: string, key: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: headers(key), body: body === undefined ? undefined : JSON.stringify(body) });
}

const chat = (base: string, key: string, byok = true) =>
  call(base, "POST", "/v1/chat/completions", key, { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], ...(byok ? { byok_api_key: OWN_KEY } : {}) });

/** Milliseconds until `check` holds (polled every 25 ms), or Infinity when it does not within `ms`. */
async function msUntil(check: () => Promise<boolean>, ms = 3_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check()) return performance.now() - started;
    await Bun.sleep(25);
  }
  return Number.POSITIVE_INFINITY;
}

async function newTeam(name: string) {
  const res = await call(one.url, "POST", "/v1/teams", ADMIN, { name, members: [{ email: `${name}@example.com`, role: "developer" }] });
  expect(res.status).toBe(201);
  const team = (await res.json()) as { id: string; members: { key: string; key_id: string }[] };
  return { id: team.id, key: team.members[0]?.key as string };
}

describe("cache invalidation across two gateways", () => {
  test("a key revoked on gateway 1 is refused by gateway 2 within a second, though gateway 2 had it cached", async () => {
    const created = await call(one.url, "POST", "/v1/api-keys", ADMIN, { name: "fleet-dev" });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect((await chat(two.url, key)).status).toBe(200); // gateway 2 now holds the key in its 30 s cache
    const revoked = await call(one.url, "DELETE", `/v1/api-keys/${id}`, ADMIN);
    expect(revoked.status).toBe(200);
    const took = await msUntil(async () => (await chat(two.url, key)).status === 401);
    expect(took).toBeLessThan(1_000);
  });

  test("a team's new IP allowlist, set on gateway 1, is enforced by gateway 2 within a second (its team cache lives 5 s)", async () => {
    const team = await newTeam("fleet-ip");
    expect((await chat(two.url, team.key)).status).toBe(200); // gateway 2 caches the team and the member
    const patched = await call(one.url, "PATCH", `/v1/teams/${team.id}`, ADMIN, { ip_allowlist: ["10.0.0.0/8"] });
    expect(patched.status).toBe(200);
    const took = await msUntil(async () => {
      const res = await chat(two.url, team.key);
      return res.status === 403 && ((await res.json()) as { error: { code: string } }).error.code === "ip_not_allowed";
    });
    expect(took).toBeLessThan(1_000);
    // And back: gateway 2 follows the change that lifts it as quickly.
    expect((await call(one.url, "PATCH", `/v1/teams/${team.id}`, ADMIN, { ip_allowlist: ["127.0.0.0/8", "::1/128"] })).status).toBe(200);
    expect(await msUntil(async () => (await chat(two.url, team.key)).status === 200)).toBeLessThan(1_000);
  });

  test("a stored key added on gateway 1 serves calls on gateway 2 within a second (its key lists live 5 s)", async () => {
    const team = await newTeam("fleet-stored");
    const before = await chat(two.url, team.key, false);
    expect(before.status).toBeGreaterThanOrEqual(400); // no key of any kind yet; gateway 2 caches the empty list
    const stored = await call(one.url, "POST", "/v1/providers/keys", ADMIN, { providers: [{ name: "openai", api_key: STORED_KEY }] });
    expect(stored.status).toBe(201);
    const took = await msUntil(async () => (await chat(two.url, team.key, false)).status === 200);
    expect(took).toBeLessThan(1_000);
  });

  test("a team deleted on gateway 1: its member key is refused by gateway 2 within a second", async () => {
    const team = await newTeam("fleet-gone");
    expect((await chat(two.url, team.key)).status).toBe(200);
    expect((await call(one.url, "DELETE", `/v1/teams/${team.id}`, ADMIN)).status).toBe(200);
    expect(await msUntil(async () => (await chat(two.url, team.key)).status === 401)).toBeLessThan(1_000);
  });
});
