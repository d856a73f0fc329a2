// Two keyway runtimes on one SQLite file and one Redis (a fleet of two): a provider disabled by one replica's health
// monitor is skipped by the other within a second and re-enabled likewise; stored keys' round robin and Retry-After
// cooldowns are shared, so a key cooling down after a 429 on one replica is not used by the other.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { knownNames } from "../../src/cli/known-names.ts";
import { loadConfigFrom } from "../../src/config/load.ts";
import { type Runtime, startRuntime } from "../../src/runtime.ts";
import { createLogger } from "../../src/telemetry/logger.ts";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";

const REDIS_URL = process.env.KEYWAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const KEY_1 = "sk-proj-shared00000000000000000000001";
const KEY_2 = "sk-proj-shared00000000000000000000002";
const ANTHROPIC_KEY = "sk-ant-api03-shared000000000000000001";

interface Replica {
  runtime: Runtime;
  logs: string[];
  post(path: string, body: unknown): Promise<Response>;
  health(provider: string): Promise<{ status: string; issues: string[] }>;
}

describe("provider health and stored-key cooldowns shared by two replicas over Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), "keyway-fleet-health-"));
  const adminKey = `kw_test_admin_${crypto.randomUUID().replaceAll("-", "")}`;
  const openai = new MockOpenAI({ keys: [KEY_1, KEY_2] }).start();
  const anthropic = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  let a: Replica;
  let b: Replica;

  async function replica(): Promise<Replica> {
    const raw = {
      server: { host: "127.0.0.1", port: 0 },
      storage: { driver: "sqlite", path: join(dir, "keyway.db") },
      security: { admin_key: adminKey, master_key_file: join(dir, "master.key") },
      counters: { driver: "redis", url: REDIS_URL, prefix },
      telemetry: { log_level: "debug" },
      routing: { retries: 0 },
      health: { auto_disable: true, health_threshold: 95, check_interval: 60 },
      providers: {
        openai: { adapter: "openai", base_url: openai.url, timeout_ms: 1000 },
        anthropic: { adapter: "anthropic", base_url: anthropic.url, timeout_ms: 1000 },
      },
    };
    const { config } = loadConfigFrom(raw, join(dir, "keyway.yaml"), process.env, knownNames);
    const logs: string[] = [];
    const runtime = await startRuntime({ config, source: join(dir, "keyway.yaml"), logger: createLogger("debug", (line) => logs.push(line)) });
    const post = (path: string, body: unknown) =>
      fetch(`${runtime.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return {
      runtime,
      logs,
      post,
      async health(provider) {
        const res = await fetch(`${runtime.url}/v1/providers/health`, { headers: { authorization: `Bearer ${adminKey}` } });
        const body = (await res.json()) as { providers: { name: string; status: string; issues: string[] }[] };
        return body.providers.find((p) => p.name === provider) as { status: string; issues: string[] };
      },
    };
  }
  const prefix = `test:${crypto.randomUUID()}:`;
  const chat = (r: Replica, model = "openai/gpt-4o") => r.post("/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }], max_tokens: 20 });
  const keyOf = (index: number) => openai.requests[index]?.headers.authorization?.replace("Bearer ", "");

  async function waitUntil(done: () => Promise<boolean>, ms: number): Promise<number> {
    const started = Date.now();
    while (!(await done()) && Date.now() - started < ms) await Bun.sleep(25);
    return Date.now() - started;
  }

  beforeAll(async () => {
    a = await replica();
    b = await replica();
    const stored = await a.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: KEY_1 }, { name: "openai", api_key: KEY_2 }, { name: "anthropic", api_key: ANTHROPIC_KEY }] });
    expect(stored.status).toBe(201);
  });
  afterAll(async () => {
    await a?.runtime.stop();
    await b?.runtime.stop();
    await openai.stop();
    await anthropic.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the round robin of stored keys spreads over the fleet: calls alternating between replicas alternate keys", async () => {
    const before = openai.requests.length;
    for (const r of [a, b, a, b]) expect((await chat(r)).status).toBe(200);
    const used = [0, 1, 2, 3].map((i) => keyOf(before + i));
    // Per-replica turns would give the same key twice in a row (A's first turn, then B's first turn).
    expect(used[0]).not.toBe(used[1]);
    expect(used[1]).not.toBe(used[2]);
    expect(used[2]).not.toBe(used[3]);
    expect(new Set(used)).toEqual(new Set([KEY_1, KEY_2]));
  });

  test("a key rate-limited on one replica is left out by the other until its Retry-After ends", async () => {
    openai.fail({ kind: "status", status: 429, retryAfter: "2" });
    const first = openai.requests.length;
    await chat(a);
    const limited = keyOf(first);
    expect(limited).toBeDefined();
    const other = limited === KEY_1 ? KEY_2 : KEY_1;
    const before = openai.requests.length;
    for (let i = 0; i < 4; i++) expect((await chat(b)).status).toBe(200);
    expect([0, 1, 2, 3].map((i) => keyOf(before + i))).toEqual([other, other, other, other]);
    await Bun.sleep(2_100);
    const after = openai.requests.length;
    for (let i = 0; i < 2; i++) expect((await chat(b)).status).toBe(200);
    expect(new Set([keyOf(after), keyOf(after + 1)])).toEqual(new Set([KEY_1, KEY_2]));
  });

  test("a provider disabled on one replica is skipped by the other within a second, and re-enabled likewise", async () => {
    expect((await b.health("openai")).status).not.toBe("disabled");
    // Upstream 500s on A (for both keys) until its breaker trips (how many depends on the successes already in A's window).
    let failures = 0;
    while ((await a.health("openai")).status !== "disabled" && failures < 20) {
      // Both stored keys answered with a 500.
      openai.fail({ kind: "status", status: 500 }, { kind: "status", status: 500 });
      expect((await chat(a)).status).toBe(502);
      failures++;
    }
    const reason = (await a.health("openai")).issues[0];
    expect(reason).toContain("disabled by the health monitor: success rate");
    const seenIn = await waitUntil(async () => (await b.health("openai")).status === "disabled", 3_000);
    expect(seenIn).toBeLessThan(1_000);
    expect((await b.health("openai")).issues[0]).toBe(reason as string);
    // B never saw a failure itself, yet routes around the provider without calling it.
    const calls = openai.requests.length;
    const refused = await chat(b);
    expect(refused.status).toBe(502);
    expect((await refused.json()).error.message).toContain("disabled by the health monitor");
    expect(openai.requests.length).toBe(calls);
    expect(b.logs.some((line) => line.includes("provider disabled by the health monitor of another replica"))).toBe(true);
    const fallback = await chat(b, "claude-3-5-sonnet-20241022");
    expect(fallback.status).toBe(200);

    // Re-enabled on A (auto_disable turned off closes every breaker): B follows within a second and calls openai again.
    expect((await a.post("/v1/providers/health-check", { auto_disable: false })).status).toBe(200);
    expect((await a.health("openai")).status).not.toBe("disabled");
    const backIn = await waitUntil(async () => (await b.health("openai")).status !== "disabled", 3_000);
    expect(backIn).toBeLessThan(1_000);
    expect((await chat(b)).status).toBe(200);
    expect(openai.requests.length).toBe(calls + 1);
  });
});
