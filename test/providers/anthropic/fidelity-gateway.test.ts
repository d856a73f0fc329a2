// Anthropic fidelity through a real keyway over HTTP: structured outputs on a Claude 4.5 model, the refused
// temperature/top_p pair named in X-Keyway-Dropped-Params, and prompt-cache reads and writes priced at their own
// rates in the answer's cost and stored on the usage row.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CACHED_PREFIX_TOKENS, MockAnthropic } from "../../fixtures/mock-anthropic.ts";
import { startGateway, type TestGateway } from "../../helpers/gateway.ts";

const KEY = "sk-ant-api03-fidelity0000000000000001";
const MODEL = "claude-sonnet-4-5-20250929";
/** USD per million tokens: input, output, cache read (0.1x), cache write (1.25x). */
const PRICE = { input_per_mtok: 3, output_per_mtok: 15, cache_read_per_mtok: 0.3, cache_write_per_mtok: 3.75 };

let mock: MockAnthropic;
let gw: TestGateway;
let callerKey: string;

beforeAll(async () => {
  mock = new MockAnthropic({ keys: [KEY] }).start();
  gw = await startGateway({
    providers: { anthropic: { adapter: "anthropic", base_url: mock.url, timeout_ms: 3000, platform_keys: [KEY], models: [{ id: MODEL, ...PRICE }] } },
    platform: { markup_percent: 0 },
    routing: { retries: 0 },
  });
  const account = await gw.post("/v1/accounts", { name: "fidelity", credits: 10 });
  callerKey = ((await account.json()) as { key: string }).key;
});
afterAll(async () => {
  await gw?.stop();
  await mock?.stop();
});

const call = (body: Record<string, unknown>) => gw.post("/v1/chat/completions", { model: `anthropic/${MODEL}`, ...body }, { authorization: `Bearer ${callerKey}` });

function lastUsageRow(): Record<string, number> {
  const db = new Database(gw.dbPath, { readonly: true });
  try {
    return db
      .query("SELECT input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros FROM usage_records ORDER BY id DESC LIMIT 1")
      .get() as Record<string, number>;
  } finally {
    db.close();
  }
}

/** micro-USD of a call at PRICE, worked out in integers and rounded half up once. */
function micros(uncached: number, read: number, write: number, output: number): number {
  const exact = uncached * 3_000_000 + read * 300_000 + write * 3_750_000 + output * 15_000_000;
  return Math.floor((exact * 2 + 1_000_000) / 2_000_000);
}

describe("anthropic fidelity through keyway", () => {
  test("json_schema on Claude 4.5 is sent as output_config.format and answered as JSON text", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
    const res = await call({ messages: [{ role: "user", content: "capital of France" }], response_format: { type: "json_schema", json_schema: { name: "c", schema } } });
    expect(res.status).toBe(200);
    expect(mock.last().body?.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(mock.last().body).not.toHaveProperty("tools");
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    expect(JSON.parse(body.choices[0]?.message.content ?? "")).toEqual({ city: "Paris" });
  });

  test("temperature and top_p together: top_p is not sent and is named in X-Keyway-Dropped-Params", async () => {
    const res = await call({ messages: [{ role: "user", content: "hi" }], temperature: 0.2, top_p: 0.8 });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyway-dropped-params")).toBe("top_p");
    expect(mock.last().body).toMatchObject({ temperature: 0.2 });
    expect(mock.last().body).not.toHaveProperty("top_p");
  });

  test("cache_control reaches Anthropic; cache writes then reads are priced at their own rates and stored", async () => {
    const messages = [
      { role: "system", content: [{ type: "text", text: "A very long policy document.", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: "first question" },
    ];
    const first = await call({ messages });
    expect(first.status).toBe(200);
    expect(mock.last().body?.system).toEqual([{ type: "text", text: "A very long policy document.", cache_control: { type: "ephemeral" } }]);
    const one = (await first.json()) as { usage: { prompt_tokens: number; completion_tokens: number; cost: number; prompt_tokens_details: Record<string, number> } };
    expect(one.usage.prompt_tokens_details).toEqual({ cached_tokens: 0, cache_write_tokens: CACHED_PREFIX_TOKENS });
    const uncachedOne = one.usage.prompt_tokens - CACHED_PREFIX_TOKENS;
    const costOne = micros(uncachedOne, 0, CACHED_PREFIX_TOKENS, one.usage.completion_tokens);
    expect(Math.round(one.usage.cost * 1e6)).toBe(costOne);
    expect(lastUsageRow()).toEqual({
      input_tokens: one.usage.prompt_tokens,
      output_tokens: one.usage.completion_tokens,
      cache_read_tokens: 0,
      cache_write_tokens: CACHED_PREFIX_TOKENS,
      reasoning_tokens: 0,
      cost_micros: costOne,
    });

    const second = await call({ messages });
    const two = (await second.json()) as { usage: { prompt_tokens: number; completion_tokens: number; cost: number; prompt_tokens_details: Record<string, number> } };
    expect(two.usage.prompt_tokens_details).toEqual({ cached_tokens: CACHED_PREFIX_TOKENS, cache_write_tokens: 0 });
    const costTwo = micros(two.usage.prompt_tokens - CACHED_PREFIX_TOKENS, CACHED_PREFIX_TOKENS, 0, two.usage.completion_tokens);
    expect(Math.round(two.usage.cost * 1e6)).toBe(costTwo);
    // A cache read costs a tenth of input, a write a quarter more: the second call is far cheaper.
    expect(costTwo).toBeLessThan(costOne);
    expect(lastUsageRow()).toMatchObject({ cache_read_tokens: CACHED_PREFIX_TOKENS, cache_write_tokens: 0, cost_micros: costTwo });
  });
});
