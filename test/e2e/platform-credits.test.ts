// Accounts, credits and platform keys over real HTTP: charges in exact micro-USD, reservations that hold, overshoots, kill -9.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startSourceServer, writeBinaryConfig } from "../helpers/binary.ts";
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

/** The charge in USD, worked out in integers: micro-USD per million tokens, markup in basis points, rounded half up once. */
function costOf(prompt: number, completion: number, markupBps = 1000n): number {
  const exact = (BigInt(prompt) * 2_500_000n + BigInt(completion) * 10_000_000n) * (10_000n + markupBps);
  const denominator = 1_000_000n * 10_000n;
  return Number((exact * 2n + denominator) / (2n * denominator)) / 1e6;
}

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [PLATFORM, CALLER], latencyMs: 150 }).start();
  gw = await startGateway({
    providers: {
      openai: {
        adapter: "openai",
        base_url: mock.url,
        platform_keys: [PLATFORM],
        // flat-7k: the mock's 7 completion tokens cost exactly 7,000 micro-USD at list price.
        models: [{ id: "gpt-4o", ...PRICE }, { id: "flat-7k", input_per_mtok: 0, output_per_mtok: 1000 }],
      },
    },
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

  test("credit amounts finer than a micro-USD are refused, naming the field, and nothing is changed", async () => {
    const fine = await gw.post("/v1/accounts", { name: `fine-${crypto.randomUUID().slice(0, 8)}`, credits: 1.0000005 });
    expect(fine.status).toBe(400);
    const fineError = (await fine.json()).error;
    expect(fineError).toMatchObject({ type: "invalid_request_error", param: "credits", code: "invalid_request" });
    expect(fineError.message).toContain("six decimals");
    const account = await newAccount(0.000001);
    expect(await credits(account.id)).toBe(0.000001);
    const added = await gw.post(`/v1/accounts/${account.id}/credits`, { amount: 0.1234567 });
    expect(added.status).toBe(400);
    expect((await added.json()).error).toMatchObject({ type: "invalid_request_error", param: "amount", code: "invalid_request" });
    expect(await credits(account.id)).toBe(0.000001);
    const exact = await gw.post(`/v1/accounts/${account.id}/credits`, { amount: 0.123456 });
    expect((await exact.json()).credits).toBe(0.123457);
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

  test("a list price of 7,000 micro-USD with a 10 % markup charges exactly 7,700", async () => {
    const account = await newAccount(1);
    const res = await gw.post("/v1/chat/completions", { ...chat, model: "openai/flat-7k", max_tokens: 7 }, as(account.key));
    const body = await res.json();
    expect(body.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 7, cost: 0.0077 });
    expect(await credits(account.id)).toBe(0.9923);
    const db = new Database(gw.dbPath, { readonly: true });
    const row = db.query("SELECT cost_micros, estimated_cost_micros FROM usage_records WHERE account_id = ?").get(account.id);
    db.close();
    expect(row).toEqual({ cost_micros: 7700, estimated_cost_micros: 7000 });
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
      // One reservation: the body's UTF-8 bytes as prompt tokens plus max_tokens, at list price.
      const reservation = costOf(Buffer.byteLength(JSON.stringify(chat)), chat.max_tokens, 0n);
      await other.post(`/v1/accounts/${account.id}/credits`, { amount: Math.round(reservation * 10.5 * 1e6) / 1e6 });
      const results = await Promise.all(Array.from({ length: 200 }, () => other.post("/v1/chat/completions", chat, as(account.key))));
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      expect(results.filter((r) => r.status === 402)).toHaveLength(190);
    } finally {
      await other.stop();
    }
  });
});

/** A gateway on its own mock, with platform keys and a 10 % markup, for one test. */
async function platformGateway(upstream: MockOpenAI, extra: Record<string, unknown> = {}): Promise<TestGateway> {
  return startGateway({
    providers: { openai: { adapter: "openai", base_url: upstream.url, platform_keys: [PLATFORM], models: [{ id: "gpt-4o", ...PRICE }] } },
    platform: { markup_percent: 10 },
    ...extra,
  });
}
const microsOf = (usd: number) => Math.round(usd * 1e6);
const balanceOn = async (on: TestGateway, id: string) =>
  microsOf((await (await fetch(`${on.url}/v1/accounts/${id}`, { headers: as(on.adminKey) })).json()).credits);
function ledgerOn(on: TestGateway, accountId: string): { cost: number; rows: number } {
  const db = new Database(on.dbPath, { readonly: true });
  const row = db.query("SELECT COALESCE(SUM(cost_micros), 0) AS cost, COUNT(*) AS rows FROM usage_records WHERE account_id = ?").get(accountId) as { cost: number; rows: number };
  db.close();
  return row;
}

describe("credits never pay for more than they hold", () => {
  test("100 concurrent calls in a dense script (one token a character) on $0.002: credits end at or above zero, the next call is refused", async () => {
    const dense = new MockOpenAI({ keys: [PLATFORM], latencyMs: 100, promptTokens: (text) => [...text].length }).start();
    const other = await platformGateway(dense);
    try {
      const account = await (await other.post("/v1/accounts", { name: "dense", credits: 0.002 })).json();
      const cjk = { model: "openai/gpt-4o", messages: [{ role: "user", content: "漢字".repeat(100) }], max_tokens: 10 };
      const results = await Promise.all(Array.from({ length: 100 }, () => other.post("/v1/chat/completions", cjk, as(account.key))));
      const answers = await Promise.all(results.map(async (r) => ({ status: r.status, body: await r.json() })));
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.status === 402 && a.body.error.code === "insufficient_credits")).toHaveLength(100 - ok.length);
      // The upstream counted a token a character: each call cost (prompt characters x $2.5 + 7 x $10) per million, plus 10 %.
      for (const answer of ok) expect(answer.body.usage.prompt_tokens).toBe([...JSON.stringify(cjk.messages)].length);
      const charged = ok.reduce((sum, a) => sum + microsOf(a.body.usage.cost), 0);
      await Bun.sleep(50);
      const left = await balanceOn(other, account.id);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left).toBe(2000 - charged);
      expect(ledgerOn(other, account.id).cost).toBe(charged);
      const calls = dense.calls.length;
      const next = await other.post("/v1/chat/completions", cjk, as(account.key));
      expect(next.status).toBe(402);
      expect((await next.json()).error.code).toBe("insufficient_credits");
      expect(dense.calls.length).toBe(calls);
    } finally {
      await other.stop();
      await dense.stop();
    }
  });

  test("usage beyond the reservation (an upstream counting 10 tokens a byte) is charged, logged, counted, and stops the account", async () => {
    const heavy = new MockOpenAI({ keys: [PLATFORM], latencyMs: 100, promptTokens: (text) => Buffer.byteLength(text) * 10 }).start();
    const other = await platformGateway(heavy, { telemetry: { prometheus: true } });
    try {
      const account = await (await other.post("/v1/accounts", { name: "heavy", credits: 0.002 })).json();
      const ask = { ...chat, max_tokens: 10 };
      const results = await Promise.all(Array.from({ length: 10 }, () => other.post("/v1/chat/completions", ask, as(account.key))));
      const ok = results.filter((r) => r.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      const ids = ok.map((r) => r.headers.get("x-request-id"));
      const charged = (await Promise.all(ok.map((r) => r.json()))).map((b) => microsOf(b.usage.cost));
      await Bun.sleep(50);
      // One warn line per overshooting call: account, request, reserved and charged micro-USD.
      const lines = other.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === "credits overshoot");
      expect(lines.map((l) => l.request_id).sort()).toEqual([...ids].sort());
      for (const line of lines) {
        expect([line.level, line.account_id]).toEqual(["warn", account.id]);
        expect(line.reserved_micros).toBeGreaterThan(0);
        expect(line.charged_micros).toBeGreaterThan(line.reserved_micros);
        expect(line.overshoot_micros).toBe(line.charged_micros - line.reserved_micros);
      }
      const overshoot = lines.reduce((sum, l) => sum + l.overshoot_micros, 0);
      expect(lines.reduce((sum, l) => sum + l.charged_micros, 0)).toBe(charged.reduce((a, b) => a + b, 0));
      // The bound: every admitted call was covered by its reservation, so credits fall below zero by at most the overshoots.
      const left = await balanceOn(other, account.id);
      expect(left).toBe(2000 - charged.reduce((a, b) => a + b, 0));
      expect(left).toBeLessThan(0);
      expect(-left).toBeLessThanOrEqual(overshoot);
      expect(ledgerOn(other, account.id).cost).toBe(2000 - left);
      const metrics = await (await fetch(`${other.url}/metrics`)).text();
      expect(metrics).toContain(`keyway_credit_overshoots_total{provider="openai"} ${ok.length}`);
      const usd = Number(/keyway_credit_overshoot_usd_total\{provider="openai"\} ([\d.e-]+)/.exec(metrics)?.[1]);
      expect(microsOf(usd)).toBe(overshoot);
      // Credits below zero: the next call is refused before any upstream call.
      const calls = heavy.calls.length;
      const next = await other.post("/v1/chat/completions", ask, as(account.key));
      expect(next.status).toBe(402);
      expect((await next.json()).error).toMatchObject({ code: "insufficient_credits", type: "insufficient_quota" });
      expect(heavy.calls.length).toBe(calls);
    } finally {
      await other.stop();
      await heavy.stop();
    }
  });
});

describe("credits survive kill -9", () => {
  test("reservations in flight at the kill are settled at the next start: credits == initial - the usage rows' cost", async () => {
    const admin = "kw_credits_kill_test_admin_key_000001";
    const slow = new MockOpenAI({ keys: [PLATFORM], latencyMs: 250 }).start();
    const dir = mkdtempSync(join(tmpdir(), "keyway-credits-kill-"));
    const config = writeBinaryConfig(dir, admin, [
      `providers: { openai: { adapter: openai, base_url: "${slow.url}", platform_keys: ["${PLATFORM}"], models: [{ id: gpt-4o, input_per_mtok: 2.5, output_per_mtok: 10 }] } }`,
      "platform: { markup_percent: 10 }",
    ]);
    const first = await startSourceServer(config);
    let second: Awaited<ReturnType<typeof startSourceServer>> | undefined;
    try {
      const created = await fetch(`${first.url}/v1/accounts`, { method: "POST", headers: as(admin), body: JSON.stringify({ name: "killed", credits: 1 }) });
      const account = await created.json();
      let killed = false;
      const workers = Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; !killed; i++) {
          try {
            const res = await fetch(`${first.url}/v1/chat/completions`, { method: "POST", headers: as(account.key), body: JSON.stringify({ ...chat, stream: (w + i) % 2 === 0 }) });
            await res.text();
          } catch {
            return; // the gateway is gone
          }
        }
      });
      await Bun.sleep(900);
      first.proc.kill("SIGKILL");
      killed = true;
      await first.proc.exited;
      await Promise.all(workers);
      const dbPath = join(dir, "keyway.db");
      const read = () => {
        const db = new Database(dbPath, { readonly: true });
        const credits = (db.query("SELECT credits_micros FROM accounts WHERE id = ?").get(account.id) as { credits_micros: number }).credits_micros;
        const cost = (db.query("SELECT COALESCE(SUM(cost_micros), 0) AS cost FROM usage_records WHERE account_id = ?").get(account.id) as { cost: number }).cost;
        db.close();
        return { credits, cost };
      };
      const atKill = read();
      // Calls were under way at the kill: credits are still held for them.
      expect(atKill.credits).toBeLessThan(1_000_000 - atKill.cost);
      second = await startSourceServer(config);
      const swept = read();
      expect(swept.cost).toBe(atKill.cost);
      expect(swept.credits).toBe(1_000_000 - swept.cost);
      const db = new Database(dbPath, { readonly: true });
      expect(db.query("SELECT COUNT(*) AS n FROM credit_reservations").get()).toEqual({ n: 0 });
      db.close();
    } finally {
      first.proc.kill("SIGKILL");
      second?.proc.kill();
      await second?.proc.exited;
      await slow.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
