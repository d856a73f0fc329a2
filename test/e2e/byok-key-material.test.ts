// A caller's provider key that cannot travel in an HTTP header is bad input (400 before anything is sent), and
// failures the caller causes never feed provider health: over real HTTP, with auto_disable on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openLocalVault } from "../../src/cli/local-vault.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const GOOD = "sk-proj-materialgood000000000000000001";
const PLATFORM = "sk-proj-materialplatform00000000000001";
const BAD_KEYS = [
  { what: "CR/LF", key: "sk-proj-crlf0000\r\nX-Injected: yes", marker: "X-Injected" },
  { what: "NUL", key: "sk-proj-nul00000\u0000tail-nul", marker: "tail-nul" },
  { what: "beyond Latin-1", key: "sk-proj-wide0000\u65e5\u672c-tail-wide", marker: "tail-wide" },
];
const ENDPOINTS = [
  { path: "/v1/chat/completions", body: { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] } },
  { path: "/v1/completions", body: { model: "openai/gpt-3.5-turbo-instruct", prompt: "hi" } },
  { path: "/v1/embeddings", body: { model: "openai/text-embedding-3-small", input: "hi" } },
  { path: "/v1/images/generations", body: { model: "openai/dall-e-3", prompt: "a cat" } },
  { path: "/v1/audio/speech", body: { model: "openai/tts-1", input: "hi", voice: "alloy" } },
];

interface ProviderView {
  name: string;
  status: string;
  success_rate: number | null;
  requests: number;
  issues: string[];
}

let mock: MockOpenAI;
let gw: TestGateway;
let caller: { id: string; key: string };

async function openaiHealth(): Promise<ProviderView> {
  const res = await fetch(`${gw.url}/v1/providers/health`, { headers: { authorization: `Bearer ${gw.adminKey}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { providers: ProviderView[] }).providers.find((p) => p.name === "openai") as ProviderView;
}

const asCaller = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${caller.key}`, ...extra });

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [GOOD, PLATFORM] }).start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000, platform_keys: [PLATFORM] } },
    routing: { retries: 0 },
    health: { auto_disable: true, health_threshold: 95, check_interval: 60 },
  });
  // A zero-credit account: it cannot spend anything, and must not be able to harm anyone else's routing either.
  const created = await gw.post("/v1/accounts", { name: "no-credits", credits: 0 });
  expect(created.status).toBe(201);
  caller = await created.json();
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("a per-request key that no HTTP header can carry", () => {
  for (const endpoint of ENDPOINTS) {
    for (const bad of BAD_KEYS) {
      test(`${endpoint.path}, ${bad.what}: 400 invalid_request on byok_api_key, nothing sent, the key never echoed`, async () => {
        const calls = mock.requests.length;
        const res = await gw.post(endpoint.path, { ...endpoint.body, byok_api_key: bad.key }, asCaller());
        expect(res.status).toBe(400);
        const text = await res.text();
        const { error } = JSON.parse(text) as { error: { message: string; type: string; param: string; code: string } };
        expect(error).toMatchObject({ type: "invalid_request_error", code: "invalid_request", param: "byok_api_key" });
        expect(error.message).toContain("not a usable key");
        expect(text).not.toContain(bad.marker);
        expect(text).not.toContain(bad.key.slice(0, 16));
        expect(mock.requests.length).toBe(calls);
      });
    }
  }

  test("a dozen of them leave the provider's health untouched, with auto_disable on; good calls still go through", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const bad = BAD_KEYS[i % BAD_KEYS.length] as (typeof BAD_KEYS)[number];
      const res = await gw.post("/v1/chat/completions", { ...(ENDPOINTS[0] as (typeof ENDPOINTS)[number]).body, byok_api_key: bad.key }, asCaller());
      statuses.push(res.status);
    }
    const health = await openaiHealth();
    expect(health).toMatchObject({ status: "unknown", requests: 0, success_rate: null, issues: [] });
    expect(statuses).toEqual(Array(12).fill(400));
    const ok = await gw.post("/v1/chat/completions", { ...(ENDPOINTS[0] as (typeof ENDPOINTS)[number]).body, byok_api_key: GOOD }, asCaller());
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-provider-used")).toBe("openai");
  });
});

describe("failures the caller causes never feed provider health", () => {
  test("its own key refused (401) and its own request rejected (400), a dozen times each: the provider is untouched", async () => {
    const before = await openaiHealth();
    for (let i = 0; i < 12; i++) {
      const refused = await gw.post("/v1/chat/completions", { ...(ENDPOINTS[0] as (typeof ENDPOINTS)[number]).body, byok_api_key: "sk-proj-notakeythemockknows0000001" }, asCaller());
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.code).toBe("provider_key_invalid");
      mock.fail({ kind: "status", status: 400 });
      const rejected = await gw.post("/v1/chat/completions", { ...(ENDPOINTS[0] as (typeof ENDPOINTS)[number]).body, byok_api_key: GOOD }, asCaller());
      expect(rejected.status).toBe(400);
      expect((await rejected.json()).error.code).toBe("invalid_request");
    }
    const after = await openaiHealth();
    expect(after).toEqual(before);
    expect(after.status).not.toBe("disabled");
  });

  test("a stored key keyway cannot send is the caller's to fix: 400, nothing sent, provider untouched", async () => {
    // The API and the CLI refuse such a key now; one stored before they did is sealed straight through the vault.
    const config = join(gw.dir, "keyway.yaml");
    writeFileSync(config, `storage: { path: ${gw.dbPath} }\nsecurity: { master_key_file: ${join(gw.dir, "master.key")} }\nproviders: { openai: { adapter: openai, base_url: "${mock.url}" } }\n`);
    const holder = (await (await gw.post("/v1/accounts", { name: "legacy-key-holder", credits: 0 })).json()) as { id: string; key: string };
    const local = await openLocalVault(config);
    try {
      await local.vault.vault.add({ id: "legacy", accountId: holder.id }, [{ provider: "openai", apiKey: "sk-proj-storedbad000\nsecond-line" }]);
    } finally {
      await local.close();
    }
    const before = await openaiHealth();
    const calls = mock.requests.length;
    for (let i = 0; i < 6; i++) {
      const res = await gw.post("/v1/chat/completions", ENDPOINTS[0]?.body, { authorization: `Bearer ${holder.key}`, "x-use-byok": "true" });
      expect(res.status).toBe(400);
      const text = await res.text();
      expect(JSON.parse(text).error).toMatchObject({ code: "invalid_request", type: "invalid_request_error" });
      expect(JSON.parse(text).error.message).toContain("'authorization' header cannot be sent");
      expect(text).not.toContain("second-line");
    }
    expect(mock.requests.length).toBe(calls);
    expect(await openaiHealth()).toEqual(before);
  });
});
