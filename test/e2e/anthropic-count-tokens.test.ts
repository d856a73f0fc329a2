// POST /v1/messages/count_tokens end to end with the official `@anthropic-ai/sdk` client (`messages.countTokens`)
// against a real keyway: a model routed to Anthropic is counted by Anthropic (the client's body and headers upstream,
// the mock's answer back untouched), with the keys /v1/messages would use (platform, X-BYOK-API-Key, body
// byok_api_key, stored); a model routed elsewhere gets keyway's estimate with nothing sent upstream. Counting is
// free: no credits taken or held, no usage row. Errors in Anthropic's shape.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { MockAnthropic } from "../fixtures/mock-anthropic.ts";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway, usageRowOf } from "../helpers/gateway.ts";

const OPENAI_KEY = "sk-proj-platform0000000000000000count";
const ANTHROPIC_KEY = "sk-ant-platform000000000000000000count";
const CALLER_KEY = "sk-ant-caller00000000000000000000count";
const STORED_KEY = "sk-ant-stored00000000000000000000count";
const PRICE = { input_per_mtok: 2.5, output_per_mtok: 10 };

let openaiMock: MockOpenAI;
let anthropicMock: MockAnthropic;
let gw: TestGateway;
let account: { id: string; key: string };
let client: Anthropic;

beforeAll(async () => {
  openaiMock = new MockOpenAI({ keys: [OPENAI_KEY] }).start();
  anthropicMock = new MockAnthropic({ keys: [ANTHROPIC_KEY, CALLER_KEY, STORED_KEY] }).start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: openaiMock.url, timeout_ms: 3000, platform_keys: [OPENAI_KEY], models: [{ id: "gpt-4o", ...PRICE }] },
      anthropic: { adapter: "anthropic", base_url: anthropicMock.url, timeout_ms: 3000, platform_keys: [ANTHROPIC_KEY], models: [{ id: "claude-sonnet-4-6", ...PRICE }] },
    },
    platform: { markup_percent: 0 },
  });
  // An account with credits: the platform keys answer for it, and a chargeable call would take from its balance.
  account = (await (await gw.post("/v1/accounts", { name: "counting", credits: 1 })).json()) as { id: string; key: string };
  client = new Anthropic({ apiKey: account.key, baseURL: gw.url, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await Promise.all([openaiMock.stop(), anthropicMock.stop()]);
});

const balance = async (id: string): Promise<number> =>
  ((await (await fetch(`${gw.url}/v1/accounts/${id}`, { headers: { authorization: `Bearer ${gw.adminKey}` } })).json()) as { credits: number }).credits;

/**
 * No usage row for a request: checked once a chargeable call made after it has its row (the ledger commits in
 * groups, so the earlier call's row would have been written by then).
 */
async function expectNoUsageRow(requestId: string): Promise<void> {
  const marker = `after-${requestId}`;
  await client.messages.create({ model: "claude-sonnet-4-6", max_tokens: 8, messages: [{ role: "user", content: "marker" }] }, { headers: { "x-request-id": marker } });
  expect(await usageRowOf(gw, marker)).toBeDefined();
  expect(await usageRowOf(gw, requestId)).toBeUndefined();
}

const weather: Anthropic.Tool = { name: "weather", description: "Weather of a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };

describe("a model routed to Anthropic: counted by Anthropic", () => {
  test("the client's body (model replaced) and headers upstream, the mock's answer back untouched, nothing charged or recorded", async () => {
    const before = await balance(account.id);
    const params: Anthropic.MessageCountTokensParams = {
      model: "anthropic/claude-sonnet-4-6",
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      tools: [weather],
      thinking: { type: "enabled", budget_tokens: 1024 },
      messages: [{ role: "user", content: "Weather in Paris?" }],
    };
    const headers = { "x-request-id": "count-native", "anthropic-version": "2023-06-01", "anthropic-beta": "token-counting-2024-11-01" };
    const response = await client.messages.countTokens(params, { headers }).asResponse();
    const text = await response.text();
    const sent = anthropicMock.last();
    expect(sent.path).toBe("/v1/messages/count_tokens");
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers["anthropic-beta"]).toBe("token-counting-2024-11-01");
    expect(sent.body).toEqual({ ...params, model: "claude-sonnet-4-6" } as unknown as Record<string, unknown>);
    // The mock's own bytes, its count of the body it received.
    expect(text).toBe(JSON.stringify({ input_tokens: anthropicMock.countTokens(sent.body ?? {}) }));
    expect(response.headers.get("x-provider-used")).toBe("anthropic");
    expect(response.headers.get("x-byok-used")).toBe("false");
    expect(response.headers.get("x-keyway-attempts")).toBe("1");
    expect(response.headers.get("x-request-id")).toBe("count-native");
    // Free: the platform key paid nothing, no credits held or taken, no usage row.
    expect(await balance(account.id)).toBe(before);
    await expectNoUsageRow("count-native");
    const line = gw.logs.find((l) => l.includes('"request_id":"count-native"'));
    expect(line).toContain('"unmetered":true');
  });

  test("the caller's key through X-BYOK-API-Key, and through byok_api_key in the body (never forwarded)", async () => {
    const answer = await client.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "mine" }] }, { headers: { "x-byok-api-key": CALLER_KEY } }).withResponse();
    expect(anthropicMock.last().headers["x-api-key"]).toBe(CALLER_KEY);
    expect(answer.response.headers.get("x-byok-used")).toBe("true");
    expect(answer.data.input_tokens).toBe(anthropicMock.countTokens(anthropicMock.last().body ?? {}));
    const inBody = { model: "claude-sonnet-4-6", messages: [{ role: "user", content: "mine too" }], byok_api_key: CALLER_KEY } as Anthropic.MessageCountTokensParams;
    await client.messages.countTokens(inBody);
    expect(anthropicMock.last().headers["x-api-key"]).toBe(CALLER_KEY);
    expect(anthropicMock.last().body).toEqual({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "mine too" }] });
  });

  test("a stored key is used when no key is sent; an account without credits may count", async () => {
    const poor = (await (await gw.post("/v1/accounts", { name: "stored-count", credits: 0 })).json()) as { id: string; key: string };
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "anthropic", api_key: STORED_KEY }] }, { authorization: `Bearer ${poor.key}` });
    expect(stored.status).toBe(201);
    const own = new Anthropic({ apiKey: poor.key, baseURL: gw.url, maxRetries: 0 });
    const { data, response } = await own.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "stored" }] }, { headers: { "x-request-id": "count-stored" } }).withResponse();
    expect(anthropicMock.last().headers["x-api-key"]).toBe(STORED_KEY);
    expect(response.headers.get("x-byok-used")).toBe("true");
    expect(data.input_tokens).toBe(anthropicMock.countTokens(anthropicMock.last().body ?? {}));
    await expectNoUsageRow("count-stored");
  });
});

describe("a model routed elsewhere: keyway's estimate", () => {
  test("nothing sent upstream, larger for a larger prompt, nothing recorded", async () => {
    const [openaiCalls, anthropicCalls] = [openaiMock.calls.length, anthropicMock.calls.length];
    const small = await client.messages.countTokens({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-request-id": "count-estimate" } }).withResponse();
    const large = await client.messages.countTokens({ model: "openai/gpt-4o", system: "Be brief.", tools: [weather], messages: [{ role: "user", content: "hi ".repeat(200) }] });
    expect(small.data.input_tokens).toBeGreaterThan(0);
    expect(large.input_tokens).toBeGreaterThan(small.data.input_tokens + 100);
    expect(small.response.headers.get("x-keyway-attempts")).toBe("0");
    expect(small.response.headers.get("x-provider-used")).toBeNull();
    expect([openaiMock.calls.length, anthropicMock.calls.length]).toEqual([openaiCalls, anthropicCalls]);
    await expectNoUsageRow("count-estimate");
  });
});

describe("team policy, as on /v1/messages", () => {
  test("a viewer is refused; a model the team does not allow is refused; an allowed one is counted with the team's key", async () => {
    const created = await gw.post("/v1/teams", {
      name: "Counting team",
      byok_permissions: { providers: { anthropic: { enabled: true, models: ["claude-sonnet-4-6"] }, openai: { enabled: false } } },
      members: [{ email: "lead@count.test", role: "admin" }, { email: "dev@count.test", role: "developer", byok_access: true }, { email: "viewer@count.test", role: "viewer" }],
    });
    expect(created.status).toBe(201);
    const team = (await created.json()) as { members: { email: string; key: string }[] };
    const keyOf = (email: string) => team.members.find((m) => m.email === email)?.key ?? "";
    expect((await gw.post("/v1/providers/keys", { providers: [{ name: "anthropic", api_key: STORED_KEY }] }, { authorization: `Bearer ${keyOf("lead@count.test")}` })).status).toBe(201);
    const calls = anthropicMock.calls.length;
    const viewer = new Anthropic({ apiKey: keyOf("viewer@count.test"), baseURL: gw.url, maxRetries: 0 });
    const refused = await viewer.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((refused as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "permission_error", code: "permission_denied" } });
    const dev = new Anthropic({ apiKey: keyOf("dev@count.test"), baseURL: gw.url, maxRetries: 0 });
    const other = await dev.messages.countTokens({ model: "claude-haiku-4-5", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((other as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error", error: { type: "permission_error", code: "model_not_allowed", param: "model" } });
    expect(anthropicMock.calls.length).toBe(calls);
    const allowed = await dev.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "team" }] });
    expect(anthropicMock.last().headers["x-api-key"]).toBe(STORED_KEY);
    expect(allowed.input_tokens).toBe(anthropicMock.countTokens(anthropicMock.last().body ?? {}));
  });
});

describe("errors in Anthropic's shape", () => {
  test("a bad keyway key is a 401; a caller's key Anthropic refuses is a 401 without the key in it", async () => {
    const stranger = new Anthropic({ apiKey: "kw_not_a_key", baseURL: gw.url, maxRetries: 0 });
    const refused = await stranger.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refused as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: "error", error: { type: "authentication_error", code: "invalid_api_key" } });
    const wrongKey = "sk-ant-wrong000000000000000000000count";
    const upstream = await client.messages.countTokens({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "hi" }] }, { headers: { "x-byok-api-key": wrongKey, "x-request-id": "count-bad-byok" } }).catch((e: unknown) => e);
    expect(upstream).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((upstream as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: "error", error: { type: "authentication_error" } });
    expect(JSON.stringify((upstream as InstanceType<typeof Anthropic.AuthenticationError>).error)).not.toContain(wrongKey);
    expect(anthropicMock.last().headers["x-api-key"]).toBe(wrongKey);
    await expectNoUsageRow("count-bad-byok");
  });

  test("a bad body is a 400 naming the field; unreadable JSON a 400", async () => {
    const calls = anthropicMock.calls.length;
    const missing = await client.messages.countTokens({ model: "claude-sonnet-4-6" } as Anthropic.MessageCountTokensParams).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.BadRequestError);
    expect((missing as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: "error", error: { type: "invalid_request_error", code: "invalid_request", param: "messages" } });
    const res = await fetch(`${gw.url}/v1/messages/count_tokens`, { method: "POST", headers: { "x-api-key": account.key, "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(anthropicMock.calls.length).toBe(calls);
  });

  test("a model no provider serves is refused as on /v1/messages, nothing sent", async () => {
    const calls = anthropicMock.calls.length;
    const unknown = await client.messages.countTokens({ model: "nobody/model-x", messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.APIError);
    expect((unknown as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: "error" });
    expect(anthropicMock.calls.length).toBe(calls);
  });
});
