// budgets.stream_cutoff: a stream whose running cost passes the account's credits or the team's daily budget ends
// with an error event; without it the stream runs to its end.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const PLATFORM = "sk-proj-CUTOFFPLATFORM0000000000000001";
const MEMBER_OWN = "sk-proj-CUTOFFMEMBER00000000000000002";
// $1,000 per million output tokens: a relayed chunk costs about 1,000 micro-USD, the prompt next to nothing.
const PRICE = { id: "gpt-4o", input_per_mtok: 0.01, output_per_mtok: 1000 };
const LONG = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
const ask = { model: "openai/gpt-4o", messages: [{ role: "user", content: LONG }], max_tokens: 5, stream: true };

let mock: MockOpenAI;
const gateways: TestGateway[] = [];

async function gateway(cutoff: boolean): Promise<TestGateway> {
  const gw = await startGateway({
    providers: { openai: { adapter: "openai", base_url: mock.url, platform_keys: [PLATFORM], models: [PRICE] } },
    budgets: { stream_cutoff: cutoff },
  });
  gateways.push(gw);
  return gw;
}

async function account(gw: TestGateway, credits: number): Promise<{ id: string; key: string }> {
  return (await gw.post("/v1/accounts", { name: `cutoff-${crypto.randomUUID().slice(0, 8)}`, credits })).json();
}

const creditsMicros = (gw: TestGateway, id: string) =>
  (new Database(gw.dbPath, { readonly: true }).query("SELECT credits_micros AS c FROM accounts WHERE id = ?").get(id) as { c: number }).c;

function events(text: string): Record<string, unknown>[] {
  return text.trim().split("\n\n").map((e) => (e === "data: [DONE]" ? { done: true } : JSON.parse(e.slice(6))));
}

beforeAll(() => {
  mock = new MockOpenAI({ keys: [PLATFORM, MEMBER_OWN], chunkIntervalMs: 3 }).start();
});
afterAll(async () => {
  for (const gw of gateways) await gw.stop();
  await mock.stop();
});

describe("budgets.stream_cutoff", () => {
  test("a platform-paid stream that uses up the account's credits is ended with insufficient_credits, within a chunk", async () => {
    const gw = await gateway(true);
    const acct = await account(gw, 0.01);
    const res = await gw.post("/v1/chat/completions", ask, { authorization: `Bearer ${acct.key}` });
    expect(res.status).toBe(200);
    const all = events(await res.text());
    const last = all.at(-1) as { error?: { code: string; type: string; message: string } };
    expect(last.error?.code).toBe("insufficient_credits");
    expect(last.error?.type).toBe("insufficient_quota");
    expect(last.error?.message).toContain("This answer was stopped");
    expect(all.some((e) => e.done)).toBe(false);
    const relayed = all.length - 1;
    // 10,000 micro-USD at ~1,000 a chunk: cut at the chunk that passed it, far before the 60-word answer ends
    expect(relayed).toBeGreaterThanOrEqual(9);
    expect(relayed).toBeLessThanOrEqual(12);
    await Bun.sleep(50);
    expect(mock.last().aborted).toBe(true);
    const left = creditsMicros(gw, acct.id);
    expect(left).toBeLessThan(0);
    expect(left).toBeGreaterThan(-1_100); // at most the chunk that crossed the line
    const row = new Database(gw.dbPath, { readonly: true }).query("SELECT status, usage_estimated, cost_micros FROM usage_records WHERE account_id = ?").get(acct.id);
    expect(row).toEqual({ status: 402, usage_estimated: 1, cost_micros: 10_000 - left });
    const next = await gw.post("/v1/chat/completions", { ...ask, stream: false }, { authorization: `Bearer ${acct.key}` });
    expect(next.status).toBe(402);
    expect((await next.json()).error.code).toBe("insufficient_credits");
  });

  test("a team member's stream that passes the team's daily budget is ended with budget_exceeded, whoever's key pays", async () => {
    const gw = await gateway(true);
    const team = await (await gw.post("/v1/teams", {
      name: "Cut-off team",
      byok_permissions: { providers: { openai: { enabled: true, max_cost_per_day: 0.02 } } },
      members: [{ email: "dev@cutoff.test", role: "developer" }],
    })).json();
    const key = team.members[0].key as string;
    const res = await gw.post("/v1/chat/completions", ask, { authorization: `Bearer ${key}`, "x-byok-api-key": MEMBER_OWN });
    const all = events(await res.text());
    expect((all.at(-1) as { error?: { code: string } }).error?.code).toBe("budget_exceeded");
    expect(all.length - 1).toBeGreaterThanOrEqual(19);
    expect(all.length - 1).toBeLessThanOrEqual(22);
    const refused = await gw.post("/v1/chat/completions", ask, { authorization: `Bearer ${key}`, "x-byok-api-key": MEMBER_OWN });
    expect(refused.status).toBe(402);
    expect((await refused.json()).error.code).toBe("budget_exceeded");
  });

  test("off (the default): the same stream runs to its end and the account goes below zero by the overshoot", async () => {
    const gw = await gateway(false);
    const acct = await account(gw, 0.01);
    const res = await gw.post("/v1/chat/completions", ask, { authorization: `Bearer ${acct.key}` });
    const all = events(await res.text());
    expect(all.at(-1)).toEqual({ done: true });
    expect(all.some((e) => "error" in e)).toBe(false);
    expect(creditsMicros(gw, acct.id)).toBeLessThan(-40_000);
  });
});

describe("an answer that cannot be read", () => {
  test("gives back what admission held: the credits and the reservation row", async () => {
    const gw = await gateway(false);
    const acct = await account(gw, 0.01);
    mock.fail({ kind: "not-json" });
    const res = await gw.post("/v1/chat/completions", { ...ask, stream: false }, { authorization: `Bearer ${acct.key}` });
    expect(res.status).toBe(502);
    expect((await res.json()).error.message).toContain("not JSON");
    expect(creditsMicros(gw, acct.id)).toBe(10_000);
    const held = new Database(gw.dbPath, { readonly: true }).query("SELECT count(*) AS n FROM credit_reservations").get();
    expect(held).toEqual({ n: 0 });
  });
});
