import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const PLATFORM = "sk-proj-PLATFORM000000000000000000001";
const CALLER = "sk-proj-CALLER0000000000000000000001";
const PRICE = { input_per_mtok: 2.5, output_per_mtok: 10 };
let mock: MockOpenAI;
let gw: TestGateway;

const chat = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hello platform" }], max_tokens: 100 };

async function newAccount(credits: number): Promise<{ id: string; key: string }> {
  const res = await gw.post("/v1/accounts", { name: `acct-${crypto.randomUUID().slice(0, 8)}`, credits });
  expect(res.status).toBe(201);
  return res.json();
}
const credits = async (id: string) => (await (await fetch(`${gw.url}/v1/accounts/${id}`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json()).credits as number;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

function costOf(prompt: number, completion: number, markup = 1.1): number {
  return Math.ceil((prompt * PRICE.input_per_mtok + completion * PRICE.output_per_mtok) * markup) / 1e6;
}

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [PLATFORM, CALLER], latencyMs: 150 }).start();
  gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, platform_keys: [PLATFORM], models: [{ id: "gpt-4o", ...PRICE }] } },
    platform: { markup_percent: 10, rate_limits: { rpm: 10 } },
  });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

describe("accounts and credits", () => {
  test("the operator creates accounts (first key shown once) and adds credits; others may not", async () => {
    const account = await newAccount(2.5);
    expect(account.key).toMatch(/^kw_/);
    expect(await credits(account.id)).toBe(2.5);
    const added = await gw.post(`/v1/accounts/${account.id}/credits`, { amount: 1.25 });
    expect((await added.json()).credits).toBe(3.75);
    const refused = await gw.post("/v1/accounts", { name: "x" }, as(account.key));
    expect(refused.status).toBe(403);
    const selfRead = await fetch(`${gw.url}/v1/accounts/${account.id}`, { headers: as(account.key) });
    expect((await selfRead.json()).credits).toBe(3.75);
    const bad = await gw.post(`/v1/accounts/${account.id}/credits`, { amount: -5 });
    expect((await bad.json()).error.param).toBe("amount");
  });
});

describe("platform keys", () => {
  test("pay when the caller brings no key: list price plus markup, deducted from credits", async () => {
    const account = await newAccount(1);
    const res = await gw.post("/v1/chat/completions", chat, as(account.key));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(mock.last().headers.authorization).toBe(`Bearer ${PLATFORM}`);
    expect(body.byok_api_key).toBe(false);
    expect(res.headers.get("x-byok-used")).toBe("false");
    expect(res.headers.get("x-ratelimit-bypass")).toBeNull();
    expect(res.headers.get("x-ratelimit-limit-requests")).toBe("10");
    expect(res.headers.get("x-ratelimit-remaining-requests")).toBe("9");
    const expected = costOf(body.usage.prompt_tokens, body.usage.completion_tokens);
    expect(body.usage.cost).toBeCloseTo(expected, 6);
    expect(await credits(account.id)).toBeCloseTo(1 - expected, 6);
  });

  test("a streamed request is settled from the usage read from its stream", async () => {
    const account = await newAccount(1);
    const res = await gw.post("/v1/chat/completions", { ...chat, stream: true }, as(account.key));
    const text = await res.text();
    expect(text).not.toContain('"usage":{');
    await Bun.sleep(700); // usage rows are written in batches
    const db = new Database(gw.dbPath, { readonly: true });
    const row = db.query("SELECT input_tokens, output_tokens, cost_micros FROM usage_records WHERE account_id = ? ORDER BY id DESC").get(account.id) as { input_tokens: number; output_tokens: number; cost_micros: number };
    db.close();
    expect(row.output_tokens).toBeGreaterThan(0);
    const expected = costOf(row.input_tokens, row.output_tokens);
    expect(row.cost_micros / 1e6).toBeCloseTo(expected, 6);
    expect(await credits(account.id)).toBeCloseTo(1 - expected, 6);
  });

  test("a stream the client abandons is charged an estimate, marked as such", async () => {
    const slow = new MockOpenAI({ keys: [PLATFORM], chunkIntervalMs: 150 }).start();
    const other = await startGateway({
      providers: { openai: { adapter: "openai", base_url: slow.url, platform_keys: [PLATFORM], models: [{ id: "gpt-4o", ...PRICE }] } },
    });
    try {
      const account = await (await other.post("/v1/accounts", { name: "quitter", credits: 1 })).json();
      const controller = new AbortController();
      const res = await fetch(`${other.url}/v1/chat/completions`, {
        method: "POST",
        headers: as(account.key),
        body: JSON.stringify({ ...chat, messages: [{ role: "user", content: "one two three four five six seven" }], stream: true }),
        signal: controller.signal,
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      await reader.read();
      controller.abort();
      await Bun.sleep(900);
      const db = new Database(other.dbPath, { readonly: true });
      const row = db.query("SELECT status, output_tokens, usage_estimated, cost_micros FROM usage_records WHERE account_id = ?").get(account.id) as { status: number; output_tokens: number; usage_estimated: number; cost_micros: number };
      db.close();
      expect(row).toMatchObject({ status: 499, usage_estimated: 1 });
      expect(row.output_tokens).toBeGreaterThanOrEqual(1);
      expect(row.cost_micros).toBeGreaterThan(0);
      const left = (await (await fetch(`${other.url}/v1/accounts/${account.id}`, { headers: as(other.adminKey) })).json()).credits;
      expect(left).toBeCloseTo(1 - row.cost_micros / 1e6, 6);
    } finally {
      await other.stop();
      await slow.stop();
    }
  });

  test("no credits: insufficient_credits (402), and nothing is spent", async () => {
    const account = await newAccount(0);
    const calls = mock.calls.length;
    const res = await gw.post("/v1/chat/completions", chat, as(account.key));
    expect(res.status).toBe(402);
    expect((await res.json()).error.code).toBe("insufficient_credits");
    expect(mock.calls.length).toBe(calls);
  });

  test("a BYOK request never touches credits or limits", async () => {
    const account = await newAccount(0);
    for (let i = 0; i < 12; i++) {
      const res = await gw.post("/v1/chat/completions", { ...chat, byok_api_key: CALLER }, as(account.key));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-bypass")).toBe("BYOK API key used");
      expect(res.headers.get("x-ratelimit-limit-requests")).toBeNull();
      expect((await res.json()).usage.cost).toBe(0);
    }
    expect(await credits(account.id)).toBe(0);
    const withUseByok = await gw.post("/v1/chat/completions", chat, { ...as(account.key), "x-use-byok": "true" });
    expect((await withUseByok.json()).error.code).toBe("no_provider_key");
  });

  test("200 concurrent requests against a limit of 10 requests a minute let exactly 10 through", async () => {
    const account = await newAccount(100);
    const results = await Promise.all(Array.from({ length: 200 }, () => gw.post("/v1/chat/completions", chat, as(account.key))));
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(10);
    expect(limited).toHaveLength(190);
    const refused = await limited[0]?.json();
    expect(refused.error.code).toBe("rate_limited");
    expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test("200 concurrent requests against credits that cover 10 let exactly 10 through", async () => {
    const other = await startGateway({
      providers: { openai: { adapter: "openai", base_url: mock.url, platform_keys: [PLATFORM], models: [{ id: "gpt-4o", ...PRICE }] } },
      platform: { markup_percent: 0 },
    });
    try {
      const account = await (await other.post("/v1/accounts", { name: "ten", credits: 0 })).json();
      // One reservation: estimated input (JSON of the messages / 4) plus max_tokens, at list price.
      const inputTokens = Math.ceil(JSON.stringify(chat.messages).length / 4);
      const reservation = (inputTokens * PRICE.input_per_mtok + chat.max_tokens * PRICE.output_per_mtok) / 1e6;
      await other.post(`/v1/accounts/${account.id}/credits`, { amount: reservation * 10.5 });
      const results = await Promise.all(Array.from({ length: 200 }, () => other.post("/v1/chat/completions", chat, as(account.key))));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      expect(results.filter((r) => r.status === 402)).toHaveLength(190);
    } finally {
      await other.stop();
    }
  });
});
