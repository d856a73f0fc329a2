// POST /v1/moderations end to end through the official openai client: string, array and multimodal input, a BYOK key
// (body and header) and a stored key, the usage row written at cost 0, a provider without moderations refused
// clearly, and bad input answered 400 naming the field.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import OpenAI from "openai";
import { MockOpenAI } from "../fixtures/mock-openai.ts";
import { startGateway, type TestGateway } from "../helpers/gateway.ts";

const KEY = "sk-proj-moderation00000000000000001";
const STORED = "sk-proj-moderationSTORED00000000002";
let mock: MockOpenAI;
let gw: TestGateway;
let client: OpenAI;
const byok = { byok_api_key: KEY } as Record<string, unknown>;

beforeAll(async () => {
  mock = new MockOpenAI({ keys: [KEY, STORED] }).start();
  gw = await startGateway({
    providers: {
      openai: { adapter: "openai", base_url: mock.url, timeout_ms: 2000 },
      mistral: { adapter: "mistral", base_url: mock.url, timeout_ms: 2000 },
      local: { adapter: "openai-compatible", base_url: mock.url, timeout_ms: 2000 },
    },
  });
  client = new OpenAI({ apiKey: gw.adminKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw.stop();
  await mock.stop();
});

interface UsageRow { request_id: string; endpoint: string; provider: string; model: string; key_source: string; byok: number; status: number; cost_micros: number; estimated_cost_micros: number }

function usageRow(requestId: string): UsageRow | undefined {
  const db = new Database(gw.dbPath);
  try {
    return db.query("SELECT * FROM usage_records WHERE request_id = ?").get(requestId) as UsageRow | undefined;
  } finally {
    db.close();
  }
}

describe("POST /v1/moderations", () => {
  test("a string input: one result in OpenAI's shape, omni-moderation-latest by default, recorded at cost 0", async () => {
    const { data, response } = await client.moderations.create({ input: "I will kill the lights", ...byok } as OpenAI.ModerationCreateParams).withResponse();
    expect(data.id).toStartWith("modr-");
    expect(data.model).toBe("omni-moderation-latest");
    expect(data.results).toHaveLength(1);
    const [result] = data.results;
    expect(result?.flagged).toBe(true);
    expect(result?.categories.violence).toBe(true);
    expect(result?.categories.hate).toBe(false);
    expect(result?.category_scores.violence).toBe(0.9);
    expect(result?.category_applied_input_types?.violence).toEqual(["text"]);
    expect(response.headers.get("x-provider-used")).toBe("openai");
    expect(response.headers.get("x-byok-used")).toBe("true");

    const upstream = mock.last();
    expect(upstream.path).toBe("/v1/moderations");
    expect(upstream.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(upstream.body).toEqual({ input: "I will kill the lights", model: "omni-moderation-latest" });

    const row = usageRow(response.headers.get("x-request-id") ?? "");
    expect(row).toMatchObject({ endpoint: "moderations", provider: "openai", model: "omni-moderation-latest", key_source: "request", byok: 1, status: 200, cost_micros: 0, estimated_cost_micros: 0 });
  });

  test("an array of strings: one result per string, in order; the model named with its provider", async () => {
    const inputs = ["hello there", "kill it", "good morning"];
    const res = await client.moderations.create({ model: "openai/omni-moderation-2024-09-26", input: inputs, ...byok } as OpenAI.ModerationCreateParams);
    expect(res.results.map((r) => r.flagged)).toEqual([false, true, false]);
    expect(res.model).toBe("omni-moderation-2024-09-26");
    expect(mock.last().body?.model).toBe("omni-moderation-2024-09-26");
    expect(mock.last().body?.input).toEqual(inputs);
  });

  test("multimodal input objects pass through as they are, the key in X-BYOK-API-Key", async () => {
    const input = [
      { type: "text" as const, text: "a calm lake" },
      { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
    ];
    const res = await gw.post("/v1/moderations", { model: "omni-moderation-latest", input }, { "x-byok-api-key": KEY });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results).toHaveLength(1);
    expect(body.results[0].flagged).toBe(false);
    expect(body.results[0].category_applied_input_types.sexual).toEqual(["text", "image"]);
    expect(mock.last().body?.input).toEqual(input);
    expect(JSON.stringify(body)).not.toContain(KEY);
  });

  test("a stored key pays when no key comes with the request", async () => {
    const stored = await gw.post("/v1/providers/keys", { providers: [{ name: "openai", api_key: STORED, settings: { max_tokens_default: 50 } }] });
    expect(stored.status).toBe(201);
    const { data, response } = await client.moderations.create({ input: "stored key pays" }).withResponse();
    expect(data.results[0]?.flagged).toBe(false);
    expect(response.headers.get("x-byok-used")).toBe("true");
    expect(mock.last().headers.authorization).toBe(`Bearer ${STORED}`);
    // a stored key's generation defaults are not sent to an endpoint that generates nothing
    expect(mock.last().body).toEqual({ input: "stored key pays", model: "omni-moderation-latest" });
    const row = usageRow(response.headers.get("x-request-id") ?? "");
    expect(row).toMatchObject({ endpoint: "moderations", key_source: "stored", byok: 1, status: 200, cost_micros: 0 });
  });

  test("a provider without moderations is refused with a clear invalid_request, and nothing goes upstream", async () => {
    for (const model of ["mistral/mistral-moderation-latest", "local/omni-moderation-latest"]) {
      const before = mock.requests.length;
      const error = await client.moderations.create({ model, input: "hi", ...byok } as OpenAI.ModerationCreateParams).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      const { status, error: body } = error as InstanceType<typeof OpenAI.BadRequestError> & { error: { code: string; message: string; param: string } };
      expect(status).toBe(400);
      expect(body.code).toBe("invalid_request");
      expect(body.param).toBe("model");
      expect(body.message).toContain(model.split("/")[0] as string);
      expect(body.message).toContain("moderations");
      expect(mock.requests.length).toBe(before);
    }
  });

  test("bad input: 400 naming the field, never sent upstream", async () => {
    const before = mock.requests.length;
    const cases: [Record<string, unknown>, string][] = [
      [{}, "input"],
      [{ input: 42 }, "input"],
      [{ input: [] }, "input"],
      [{ input: [{ type: "image_url", image_url: {} }] }, "input"],
      [{ input: "fine", model: "" }, "model"],
    ];
    for (const [body, param] of cases) {
      const res = await gw.post("/v1/moderations", { ...body, byok_api_key: KEY });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe("invalid_request");
      expect(error.param?.startsWith(param)).toBe(true);
    }
    const notJson = await gw.post("/v1/moderations", "{not json");
    expect(notJson.status).toBe(400);
    expect(mock.requests.length).toBe(before);
  });

  test("the upstream's refusal comes back as for other endpoints: a bad BYOK key is a 401 without the key", async () => {
    const wrong = "sk-proj-wrongmoderation0000000000009";
    const error = await client.moderations.create({ input: "x", byok_api_key: wrong } as OpenAI.ModerationCreateParams).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify((error as InstanceType<typeof OpenAI.AuthenticationError>).error)).not.toContain(wrong);
  });
});
