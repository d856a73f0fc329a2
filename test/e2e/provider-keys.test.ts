import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { createApiKey } from "../../src/accounts/api-keys.ts";
import { openStore } from "../../src/store/sqlite/open-store.ts";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { openaiAndAnthropicAt, startGateway, type TestGateway } from "../helpers/gateway.ts";

const OPENAI_KEY = "sk-proj-STORED0openai000000000000001";
const ANTHROPIC_KEY = "sk-ant-api03-STORED0anthropic0000000001";
let openai: MockOpenAI;
let anthropic: MockAnthropic;
let gw: TestGateway;

const admin = () => ({ authorization: `Bearer ${gw.adminKey}` });
const getJson = async (path: string, key = gw.adminKey) => (await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } })).json();

beforeAll(async () => {
  openai = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  anthropic = new MockAnthropic({ keys: [ANTHROPIC_KEY] }).start();
  gw = await startGateway(openaiAndAnthropicAt(openai.url, anthropic.url));
});
afterAll(async () => {
  await gw.stop();
  await openai.stop();
  await anthropic.stop();
});

describe("stored provider keys", () => {
  test("two providers stored in one call; listed with hints, never the key; used with X-Use-BYOK through the openai client", async () => {
    const res = await gw.post("/v1/providers/keys", {
      providers: [
        { name: "openai", api_key: OPENAI_KEY, label: "prod", environment: "prod", settings: { max_tokens_default: 123 } },
        { name: "anthropic", api_key: ANTHROPIC_KEY, settings: { default_model: "claude-3-5-haiku-latest" } },
      ],
      encryption: { method: "AES-256-GCM", key_rotation: true, rotation_days: 90 },
    });
    expect(res.status).toBe(201);
    const stored = await res.json();
    expect(stored.providers.map((p: { provider: string; hint: string }) => [p.provider, p.hint])).toEqual([
      ["openai", "...0001"],
      ["anthropic", "...0001"],
    ]);
    expect(JSON.stringify(stored)).not.toContain(OPENAI_KEY);

    const listing = await getJson("/v1/providers");
    const openaiEntry = listing.providers.find((p: { name: string }) => p.name === "openai");
    expect(openaiEntry.status).toBe("active");
    expect(openaiEntry.keys[0]).toMatchObject({ label: "prod", environment: "prod", status: "active", age_days: 0, rotation_days: 90, rotation_due: false });
    expect(JSON.stringify(listing)).not.toContain(OPENAI_KEY);
    expect(JSON.stringify(listing)).not.toContain(ANTHROPIC_KEY);

    const client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0, defaultHeaders: { "X-Use-BYOK": "true" } });
    const { data, response } = await client.chat.completions.create({ model: "openai/gpt-4o", messages: [{ role: "user", content: "stored openai" }] }).withResponse();
    expect(data.choices[0]?.message.content).toBe("echo: stored openai");
    expect(response.headers.get("x-byok-used")).toBe("true");
    expect(openai.last().headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(openai.last().body?.max_tokens).toBe(123);

    const claude = await client.chat.completions.create({ model: "anthropic/claude-3-5-haiku-latest", messages: [{ role: "user", content: "stored anthropic" }], max_tokens: 50 });
    expect(claude.choices[0]?.message.content).toContain("stored anthropic");
    expect(anthropic.calls.at(-1)?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(anthropic.calls.at(-1)?.body?.max_tokens).toBe(50);
  });

  test("a stored key's default_model serves a request that names only the provider", async () => {
    const res = await gw.post("/v1/chat/completions", { provider: "anthropic", messages: [{ role: "user", content: "default model" }] });
    expect(res.status).toBe(200);
    expect(anthropic.calls.at(-1)?.body?.model).toBe("claude-3-5-haiku-latest");
    const missing = await gw.post("/v1/chat/completions", { messages: [{ role: "user", content: "x" }] });
    expect((await missing.json()).error.param).toBe("model");
  });

  test("the database files (WAL included) hold no plaintext key", async () => {
    const bytes = readdirSync(gw.dir)
      .filter((f) => f.startsWith("keyway.db"))
      .map((f) => readFileSync(join(gw.dir, f)).toString("latin1"))
      .join("");
    expect(bytes).toContain("v1:");
    for (const key of [OPENAI_KEY, ANTHROPIC_KEY]) {
      expect(bytes).not.toContain(key);
      expect(bytes).not.toContain(key.slice(10));
    }
    expect(gw.logs.join("\n")).not.toContain(OPENAI_KEY);
  });

  test("another account neither sees nor uses these keys", async () => {
    const store = openStore(gw.dbPath);
    const other = await store.accounts.create("other team");
    const { key } = await createApiKey(store.apiKeys, { name: "other admin", accountId: other.id, role: "admin" });
    store.close();
    const listing = await getJson("/v1/providers", key);
    expect(listing.providers.every((p: { keys: unknown[] }) => p.keys.length === 0)).toBe(true);
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "x-use-byok": "true" },
      body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("no_provider_key");
    const mine = (await getJson("/v1/providers")).providers[0].keys[0].id;
    const steal = await fetch(`${gw.url}/v1/providers/keys/${mine}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    expect(steal.status).toBe(404);
    const audit = await getJson("/v1/audit", key);
    expect(audit.data.every((row: { account_id: string }) => row.account_id === other.id)).toBe(true);
  });

  test("bad input gets a clear 400 and changes nothing", async () => {
    const before = JSON.stringify((await getJson("/v1/providers")).providers.map((p: { keys: unknown[] }) => p.keys));
    const cases: [string, unknown, string][] = [
      ["/v1/providers/keys", { providers: [{ name: "nosuch", api_key: "k" }] }, "providers[0].name"],
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: "" }] }, "providers[0].api_key"],
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: OPENAI_KEY }, { name: "openai", api_key: ANTHROPIC_KEY }] }, "providers[1].api_key"],
      ["/v1/providers/keys", { providers: [] }, "providers"],
      // settings beyond the general ones must be the provider's own (Gemini's safety_settings is not OpenAI's), typos too
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: "sk-proj-settings00000", settings: { safety_settings: [] } }] }, "providers[0].settings.safety_settings"],
      ["/v1/providers/keys", { providers: [{ name: "anthropic", api_key: "sk-ant-settings00000", settings: { temprature_default: 1 } }] }, "providers[0].settings.temprature_default"],
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: "sk-x" }], encryption: { method: "ROT13" } }, "encryption.method"],
      ["/v1/providers/keys/rotation-schedule", { provider: "openai", schedule: "every tuesday" }, "schedule"],
      ["/v1/providers/keys/rotation-schedule", { provider: "openai", schedule: "0 0 1 * *", notification_webhooks: ["ftp://example.test/hook"] }, "notification_webhooks[0]"],
      ["/v1/providers/keys/rotation-schedule", { provider: "nosuch", schedule: "0 0 1 * *" }, "provider"],
      ["/v1/providers/keys/rotate", { provider: "openai", new_api_key: "sk-proj-new000000000000", notification_webhooks: ["not a url"] }, "notification_webhooks[0]"],
      ["/v1/providers/keys/rotate", { provider: "nosuch", new_api_key: "sk-proj-new000000000000" }, "provider"],
      ["/v1/providers/keys/rotate", { provider: "openai", new_api_key: "" }, "new_api_key"],
      // keys that could never be sent in a header are refused when stored, not at every later call
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: "sk-proj-line\nbreak0000000000" }] }, "providers[0].api_key"],
      ["/v1/providers/keys", { providers: [{ name: "openai", api_key: "sk-proj-ok" }, { name: "openai", api_key: "sk-proj-nul\u0000000000" }] }, "providers[1].api_key"],
      ["/v1/providers/keys/rotate", { provider: "openai", new_api_key: "sk-proj-\u20ac-not-latin1-000000" }, "new_api_key"],
    ];
    for (const [path, body, param] of cases) {
      const res = await gw.post(path, body);
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.param).toBe(param);
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(JSON.stringify((await getJson("/v1/providers")).providers.map((p: { keys: unknown[] }) => p.keys))).toBe(before);
  });

  test("the audit log records adds and batched uses with actor, key and outcome, filterable", async () => {
    const adds = await getJson("/v1/audit?action=key.add");
    expect(adds.data.length).toBeGreaterThanOrEqual(2);
    expect(adds.data[0]).toMatchObject({ actor: "admin", outcome: "success" });
    const uses = await getJson("/v1/audit?action=key.use&provider=openai");
    expect(uses.data.length).toBeGreaterThanOrEqual(1);
    expect(uses.data[0]).toMatchObject({ action: "key.use", provider: "openai", outcome: "success" });
    expect(uses.data[0].key_id).toMatch(/^pk_/);
    const bad = await fetch(`${gw.url}/v1/audit?since=yesterday`, { headers: admin() });
    expect((await bad.json()).error.param).toBe("since");
  });

  test("the audit log answers at most `limit` rows; a limit that is not a whole number from 1 to 1000 is refused", async () => {
    const one = await getJson("/v1/audit?action=key.add&limit=1");
    expect(one.data).toHaveLength(1);
    for (const bad of ["0", "1001", "2.5", "1e2", "ten"]) {
      const res = await fetch(`${gw.url}/v1/audit?limit=${bad}`, { headers: admin() });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ param: "limit", code: "invalid_request", message: "'limit' takes a whole number from 1 to 1000 (default 100)." });
    }
  });
});
